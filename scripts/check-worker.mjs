// Starts the built mediasoup worker, opens a router, a WebRTC transport and an
// SRTP PlainTransport (libsrtp, built into the worker on OpenSSL, initialises)
// on loopback, and closes them: proof that the binary and its libraries work.
import { createWorker, version } from 'mediasoup';

try {
  const worker = await createWorker({ logLevel: 'error' });
  const router = await worker.createRouter({
    mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
  });
  const transport = await router.createWebRtcTransport({ listenIps: [{ ip: '127.0.0.1' }] });
  const srtp = await router.createPlainTransport({ listenIp: '127.0.0.1', enableSrtp: true });
  if (!srtp.srtpParameters) throw new Error('the SRTP PlainTransport has no SRTP parameters');
  srtp.close();
  transport.close();
  worker.close();
  console.log(`setup: mediasoup-worker ${version} starts (pid ${worker.pid})`);
} catch (err) {
  console.error(
    `setup: the mediasoup worker does not start: ${err.message}. Delete the cache folder named above and run scripts/setup again.`,
  );
  process.exit(1);
}
