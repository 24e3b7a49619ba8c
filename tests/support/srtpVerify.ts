/**
 * An SRTP receiver for AES_CM_128_HMAC_SHA1_80 written on Node's crypto, to
 * check the worker's SRTP against an implementation that is not libsrtp
 * (the worker's libsrtp carries a patched HMAC-SHA1: scripts/mediasoup-shims/libsrtp2).
 * RFC 3711: session keys from the master key and salt (§4.3, key derivation
 * rate 0), AES-CM decryption (§4.1.1) and the HMAC-SHA1 tag over the packet
 * and its rollover counter (§4.2), 80 bits.
 */
import { createCipheriv, createHmac, timingSafeEqual } from 'node:crypto';

const tagBytes = 10;

function aesCm(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const cipher = createCipheriv('aes-128-ctr', key, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** §4.3.1: label l's session key is AES-CM(master key, IV = (master salt XOR (l << 48)) || 0x0000) over zeros. */
function derive(masterKey: Buffer, masterSalt: Buffer, label: number, bytes: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv);
  iv[7] = (iv[7] as number) ^ label;
  return aesCm(masterKey, iv, Buffer.alloc(bytes));
}

function headerLength(packet: Buffer): number {
  const first = packet[0] as number;
  let length = 12 + 4 * (first & 0x0f);
  if (first & 0x10) length += 4 + 4 * packet.readUInt16BE(length + 2);
  return length;
}

export type SrtpReceiver = {
  /** The packet's payload in clear if its tag verifies (with rollover counter 0 or 1), else undefined. */
  open(packet: Buffer): Buffer | undefined;
};

/** keyBase64: the sender's SRTP master key (16 bytes) and salt (14 bytes), as mediasoup's srtpParameters carry them. */
export function srtpReceiver(keyBase64: string): SrtpReceiver {
  const master = Buffer.from(keyBase64, 'base64');
  const masterKey = master.subarray(0, 16);
  const masterSalt = master.subarray(16, 30);
  const sessionKey = derive(masterKey, masterSalt, 0, 16);
  const authKey = derive(masterKey, masterSalt, 1, 20);
  const sessionSalt = derive(masterKey, masterSalt, 2, 14);
  return {
    open(packet) {
      const authenticated = packet.subarray(0, packet.length - tagBytes);
      const tag = packet.subarray(packet.length - tagBytes);
      for (const roc of [0, 1]) {
        const rocBytes = Buffer.alloc(4);
        rocBytes.writeUInt32BE(roc);
        const expected = createHmac('sha1', authKey).update(authenticated).update(rocBytes).digest().subarray(0, tagBytes);
        if (!timingSafeEqual(expected, tag)) continue;
        // §4.1.1: IV = (session salt << 16) XOR (SSRC << 64) XOR (index << 16), index = ROC << 16 | SEQ.
        const iv = Buffer.alloc(16);
        sessionSalt.copy(iv);
        for (let i = 0; i < 4; i++) iv[4 + i] = (iv[4 + i] as number) ^ (authenticated[8 + i] as number);
        const index = Buffer.alloc(6);
        index.writeUInt32BE(roc, 0);
        index.writeUInt16BE(authenticated.readUInt16BE(2), 4);
        for (let i = 0; i < 6; i++) iv[8 + i] = (iv[8 + i] as number) ^ (index[i] as number);
        return aesCm(sessionKey, iv, authenticated.subarray(headerLength(authenticated)));
      }
      return undefined;
    },
  };
}
