/** A one-stream SDP that tells ffmpeg where to listen and what arrives (see the recording note). */
export function recorderSdp(opts: { kind: 'audio' | 'video'; port: number; payloadType: number; codec: 'VP8' | 'opus' }): string {
  const { kind, port, payloadType: pt } = opts;
  const lines = [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=rec',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=${kind} ${port} RTP/AVP ${pt}`,
    `a=rtcp:${port + 1}`,
  ];
  if (opts.codec === 'VP8') lines.push(`a=rtpmap:${pt} VP8/90000`);
  else lines.push(`a=rtpmap:${pt} opus/48000/2`, `a=fmtp:${pt} minptime=10;useinbandfec=1`);
  lines.push('a=sendonly');
  return `${lines.join('\r\n')}\r\n`;
}
