// Starts the built mediasoup worker, opens a router and a WebRTC transport on
// loopback, and closes them: proof that the binary and its libraries work.
import { createWorker, version } from 'mediasoup';

try {
  const worker = await createWorker({ logLevel: 'error' });
  const router = await worker.createRouter({
    mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
  });
  const transport = await router.createWebRtcTransport({ listenIps: [{ ip: '127.0.0.1' }] });
  transport.close();
  worker.close();
  console.log(`setup: mediasoup-worker ${version} starts (pid ${worker.pid})`);
} catch (err) {
  console.error(
    `setup: the mediasoup worker does not start: ${err.message}. Delete the cache folder named above and run scripts/setup again.`,
  );
  process.exit(1);
}
