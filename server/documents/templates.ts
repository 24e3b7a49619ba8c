import type { DisputeType } from '../../signaling/index.js';

/** Title and boilerplate of an agreement (调解协议书) per dispute type. */
export type AgreementTemplate = {
  title: string;
  subtitle: string;
  /** Heading over the facts. */
  factsHeading: string;
  /** Sentence before the numbered terms. */
  termsLead: string;
  /** Closing paragraphs printed after the terms. */
  closing: string[];
};

const commonClosing = [
  '本协议经各方当事人签名、人民调解委员会盖章后生效，各方当事人应当按照约定履行。',
  '经人民调解委员会调解达成的调解协议，具有法律约束力。当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。',
  '本协议一式多份，当事人、人民调解委员会各执一份，电子文本与纸质文本具有同等效力。',
];

export const agreementTemplates: Record<DisputeType, AgreementTemplate> = {
  neighbourhood: {
    title: '人民调解协议书',
    subtitle: '（邻里纠纷）',
    factsHeading: '纠纷主要事实、争议事项',
    termsLead: '本着互谅互让、睦邻友好的原则，经调解，各方当事人自愿达成如下协议：',
    closing: commonClosing,
  },
  family: {
    title: '人民调解协议书',
    subtitle: '（婚姻家庭纠纷）',
    factsHeading: '纠纷主要事实、争议事项',
    termsLead: '本着尊老爱幼、家庭和睦的原则，经调解，各方当事人自愿达成如下协议：',
    closing: commonClosing,
  },
  unpaid_wages: {
    title: '人民调解协议书',
    subtitle: '（劳动报酬纠纷）',
    factsHeading: '用工情况及欠薪事实',
    termsLead: '依照《保障农民工工资支付条例》等规定，经调解，各方当事人自愿达成如下协议：',
    closing: commonClosing,
  },
  traffic_accident: {
    title: '人民调解协议书',
    subtitle: '（道路交通事故损害赔偿纠纷）',
    factsHeading: '事故经过、责任认定及损失情况',
    termsLead: '依据交通事故责任认定，经调解，各方当事人就损害赔偿事宜自愿达成如下协议：',
    closing: commonClosing,
  },
  land_contract: {
    title: '人民调解协议书',
    subtitle: '（土地承包经营纠纷）',
    factsHeading: '承包地情况及争议事项',
    termsLead: '依照《农村土地承包法》等规定，经调解，各方当事人自愿达成如下协议：',
    closing: commonClosing,
  },
  general: {
    title: '人民调解协议书',
    subtitle: '',
    factsHeading: '纠纷主要事实、争议事项',
    termsLead: '经调解，各方当事人自愿达成如下协议：',
    closing: commonClosing,
  },
};

const chineseDigits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 12 → 十二, 20 → 二十, 45 → 四十五: numbering of clauses (一、二、…). */
export function chineseNumber(n: number): string {
  if (n < 10) return chineseDigits[n] ?? String(n);
  if (n < 100) {
    const tens = Math.floor(n / 10);
    const ones = n % 10;
    return `${tens === 1 ? '' : chineseDigits[tens]}十${ones === 0 ? '' : chineseDigits[ones]}`;
  }
  return String(n);
}
