import type { types } from 'mediasoup-client';

type Bridge = {
  /** Tell the server our DTLS parameters (mediasoup-client's 'connect' event). */
  connect(dtlsParameters: types.DtlsParameters): Promise<unknown>;
  /** Ask the server to create the producer; resolves with its id (the 'produce' event). */
  produce?(request: { kind: types.MediaKind; rtpParameters: types.RtpParameters; appData: types.AppData }): Promise<string>;
};

/** Connects mediasoup-client's transport events to signalling requests, turning promises into its callback/errback pairs. */
export function bridgeTransport(transport: types.Transport, bridge: Bridge): void {
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    bridge.connect(dtlsParameters).then(() => callback(), errback);
  });
  const produce = bridge.produce;
  if (produce) {
    transport.on('produce', (request, callback, errback) => {
      produce(request).then((id) => callback({ id }), errback);
    });
  }
}
