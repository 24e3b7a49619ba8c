import type { Device } from 'mediasoup-client';
import {
  type AdmittedState,
  type AgreementView,
  can,
  type ErrorCode,
  type MediaSource,
  type NotificationOf,
  type Participant,
  type SelfTest,
  type SessionSummary,
  type WaitingState,
} from '../../../signaling/index.js';
import { AgreementClient } from './AgreementClient.js';
import { DownlinkController } from './DownlinkController.js';
import { HostRequests } from './HostRequests.js';
import { MediaSession, type RemoteMedia } from './MediaSession.js';
import { initialNetwork, type NetworkState, NetworkWatch } from './NetworkWatch.js';
import { measureRtt, probeTransport } from './networkCheck.js';
import { RoomError, type ServerSocket, Signaling } from './Signaling.js';
import { type ResumeAnswer, SignalWatch } from './SignalWatch.js';
import { type ConsumerStats, type LinkSamples, StatsMonitor } from './StatsMonitor.js';

export type RoomPhase =
  | 'idle'
  | 'connecting'
  | 'waiting'
  | 'joined'
  | 'reconnecting'
  | 'denied'
  | 'removed'
  | 'ended'
  | 'replaced'
  | 'left'
  | 'failed';

export type RoomSnapshot = {
  phase: RoomPhase;
  error: { code: ErrorCode | 'TIMEOUT' | 'DISCONNECTED'; message: string } | undefined;
  session: SessionSummary | undefined;
  you: Participant | undefined;
  /** Everyone else admitted to the session. */
  participants: Participant[];
  /** The waiting room, for hosts. */
  waiting: Participant[];
  remote: RemoteMedia[];
  activeSpeaker: string | undefined;
  local: { stream: MediaStream | undefined; micOn: boolean; cameraOn: boolean; audioOnly: boolean; screenSharing: boolean };
  /** Latest inbound figures and quality band per received stream. */
  stats: Record<string, ConsumerStats>;
  /** The simulcast layer we ask for, per received video. */
  layers: Record<string, number>;
  chat: ChatMessage[];
  /** Our own connection: steadied badge, TCP fallback, and whether to offer audio only. */
  network: NetworkState;
  /** The mediation agreement as last seen in the joint room (undefined before the first look). */
  agreement: AgreementView | undefined;
};

export type ChatMessage = NotificationOf<'chat:message'>;

type RoomClientEvents = {
  change: [RoomSnapshot];
  /** The host muted our mic or stopped our camera. */
  muted: [MediaSource];
  unmuteRequested: [];
};

export type RoomClientOptions = { serverUrl: string; token: string };

const terminal: RoomPhase[] = ['denied', 'removed', 'ended', 'replaced', 'left', 'failed'];

/**
 * Everything a participant's browser does in a session, with no UI framework:
 * it owns the socket and the mediasoup-client Device, joins, waits, publishes
 * and receives, and comes back after a dropped connection. UIs and tests read
 * `snapshot` and listen for `change`.
 */
export class RoomClient extends HostRequests<RoomClientEvents> {
  protected readonly signaling: Signaling;
  /** Agreement requests and document downloads (client/src/room/AgreementClient.ts). */
  readonly agreement: AgreementClient;
  private readonly device: Device = MediaSession.createDevice();
  private media: MediaSession | undefined;
  /** The media whose start and publish have finished: only then can a fresh socket resume instead of rebuilding. */
  private mediaUp: MediaSession | undefined;
  /** Replaces a socket stuck in TCP back-off with a fresh one that resumes the seat (client/src/room/SignalWatch.ts). */
  private readonly watch: SignalWatch;
  private selfTest: SelfTest | undefined;
  /** The self-test's probe loads the Device: media waits for it, as joining no longer does (two loads race). */
  private networkCheck: Promise<unknown> = Promise.resolve();
  private state: RoomSnapshot = {
    phase: 'idle',
    error: undefined,
    session: undefined,
    you: undefined,
    participants: [],
    waiting: [],
    remote: [],
    activeSpeaker: undefined,
    local: { stream: undefined, micOn: false, cameraOn: false, audioOnly: false, screenSharing: false },
    stats: {},
    layers: {},
    chat: [],
    network: initialNetwork,
    agreement: undefined,
  };
  /** Layers, holding received video back on a thin link, and bringing it back (client/src/room/DownlinkController.ts). */
  private readonly downlink = new DownlinkController({
    media: () => this.media,
    remote: () => this.state.remote,
    audioOnly: () => this.state.local.audioOnly,
  });
  private network = new NetworkWatch();
  private readonly monitor = new StatsMonitor(
    {
      // Paused ones carry nothing (leaving drops their history); held-back ('thin') ones stay: their frames prove the link.
      consumerIds: () => this.state.remote.filter((r) => this.media?.videoMode(r.consumerId) !== 'off').map((r) => r.consumerId),
      stats: (id) => this.media?.stats(id),
      transportStats: (direction) => this.media?.transportStats(direction),
    },
    (stats, link) => this.onStats(stats, link),
    this.downlink.glances((hidden) => this.update({ network: { ...this.state.network, videoPausedForLink: hidden } })),
  );

  protected others(): Participant[] {
    return this.state.participants;
  }

  constructor(options: RoomClientOptions) {
    super();
    this.signaling = new Signaling(options.serverUrl, options.token);
    this.agreement = new AgreementClient(this.signaling, options.serverUrl, options.token, () => this.state.agreement);
    this.watch = new SignalWatch(this.signaling, {
      resumable: () => this.resumable(),
      resumed: (socket, answer) => this.adopt(socket, answer),
      rejoin: (socket) => this.adopt(socket),
    });
    this.listen(this.signaling.socket);
  }

  get snapshot(): RoomSnapshot {
    return this.state;
  }

  /** True when our role (and host seat) may do this, per the shared policy table; the server checks again. */
  may(action: Parameters<typeof can>[1]): boolean {
    return this.state.you !== undefined && can(this.state.you.role, action, this.state.you.host);
  }

  /** Connects and asks to join. `stream` is what we publish once admitted (camera and mic, or mic only). */
  async join(options: { selfTest?: SelfTest; stream?: MediaStream; audioOnly?: boolean } = {}): Promise<void> {
    this.selfTest = options.selfTest;
    this.update({
      phase: 'connecting',
      local: { ...this.state.local, stream: options.stream, audioOnly: options.audioOnly ?? false },
    });
    if (this.signaling.socket.connected) await this.requestJoin();
    // Otherwise the 'connect' listener sends the join.
  }

  async leave(): Promise<void> {
    if (this.signaling.socket.connected) await this.signaling.request('session:leave', {}).catch(() => undefined);
    this.shutdown('left');
  }

  // ---- own controls ------------------------------------------------------------------

  async setMic(on: boolean): Promise<void> {
    await this.media?.setSending('mic', on);
    this.update({ local: { ...this.state.local, micOn: on } });
  }

  async setCamera(on: boolean): Promise<void> {
    await this.media?.setSending('camera', on);
    this.update({ local: { ...this.state.local, cameraOn: on } });
  }

  /** For weak networks: stop sending and receiving video, keep the audio. */
  async setAudioOnly(audioOnly: boolean): Promise<void> {
    this.downlink.reset();
    this.update({ local: { ...this.state.local, audioOnly } });
    await this.setCamera(!audioOnly);
    await this.downlink.applyVideoModes();
  }

  async shareScreen(track: MediaStreamTrack): Promise<void> {
    await this.media?.publish(track, 'screen');
    this.update({ local: { ...this.state.local, screenSharing: true } });
    track.addEventListener('ended', () => void this.stopScreen());
  }

  async stopScreen(): Promise<void> {
    await this.media?.unpublish('screen');
    this.update({ local: { ...this.state.local, screenSharing: false } });
  }

  raiseHand(raised: boolean): Promise<unknown> {
    return this.signaling.request('session:raiseHand', { raised });
  }

  sendChat(text: string, to?: string): Promise<unknown> {
    return this.signaling.request('chat:send', to ? { text, to } : { text });
  }

  /** The self-test's network check: round trip, and whether UDP or only TCP reaches the SFU. */
  async checkNetwork(): Promise<{ rttMs: number | undefined; protocol: 'udp' | 'tcp' | null }> {
    await this.signaling.connected();
    // Side by side: on a 150 ms village link the pings alone take most of a second.
    const check = Promise.all([measureRtt(this.signaling), probeTransport(this.signaling, this.device).catch(() => null)]);
    this.networkCheck = check.catch(() => undefined);
    const [rttMs, protocol] = await check;
    return { rttMs, protocol };
  }

  // ---- internals -------------------------------------------------------------------------

  private onStats(stats: Map<string, ConsumerStats>, link: LinkSamples): void {
    const { state: network, uplink } = this.network.observe(stats, link);
    if (uplink) void this.media?.adaptUplink(uplink).catch(() => undefined);
    const { layers, hidden } = this.downlink.observe(stats);
    this.update({ stats: Object.fromEntries(stats), layers, network: { ...network, videoPausedForLink: hidden } });
  }

  private resumable(): boolean {
    return this.media !== undefined && this.mediaUp === this.media && ['joined', 'reconnecting'].includes(this.state.phase);
  }

  /** A socket that reached the server takes over: with the seat resumed (media untouched), or to join afresh. */
  private adopt(socket: ServerSocket, answer?: ResumeAnswer): void {
    this.signaling.adopt(socket);
    this.listen(socket);
    if (answer) this.resumed(answer);
    else void this.requestJoin();
  }

  /** The room as the server has it now (what the stalled socket missed); consumers it no longer has are dropped. */
  private resumed({ state, consumerIds }: ResumeAnswer): void {
    const { session, you, participants, waiting, activeSpeaker } = state;
    this.update({ phase: 'joined', error: undefined, session, you, participants, waiting, activeSpeaker });
    const live = new Set(consumerIds);
    for (const r of this.state.remote) if (!live.has(r.consumerId)) this.media?.dropConsumer(r.consumerId);
    void this.agreement.load().then(
      (agreement) => this.update({ agreement }),
      () => undefined,
    );
  }

  private listen(socket: ServerSocket): void {
    socket.on('connect', () => {
      if (this.state.phase === 'idle' || terminal.includes(this.state.phase)) return;
      // Back on the same socket after a drop: resume when the media is still up, otherwise join afresh.
      if (!this.resumable()) return void this.requestJoin();
      this.signaling.request('session:resume', {}).then(
        (answer) => this.resumed(answer),
        (err) => {
          if (err instanceof RoomError && err.code === 'CONFLICT') void this.requestJoin();
          else this.update({ phase: 'reconnecting' });
        },
      );
    });
    socket.on('disconnect', (reason) => {
      if (terminal.includes(this.state.phase) || this.state.phase === 'idle') return;
      if (reason === 'io server disconnect') return; // a terminal notification explains it
      this.update({ phase: 'reconnecting' });
    });
    socket.on('connect_error', (err) => {
      const data = (err as Error & { data?: { code?: ErrorCode; message?: string } }).data;
      // A refusal by the server (bad or expired link) will not get better by retrying.
      if (data?.code) this.shutdown('failed', { code: data.code, message: data.message ?? err.message });
    });

    socket.on('session:admitted', (state) => void this.enter(state));
    socket.on('session:denied', ({ message }) => this.shutdown('denied', { code: 'DENIED', message }));
    socket.on('session:removed', ({ message }) => this.shutdown('removed', { code: 'REMOVED', message }));
    socket.on('session:ended', ({ message }) => this.shutdown('ended', { code: 'SESSION_ENDED', message }));
    socket.on('session:replaced', () => this.shutdown('replaced'));
    socket.on('session:updated', (session) => this.update({ session }));
    socket.on('waiting:updated', ({ waiting }) => this.update({ waiting }));
    socket.on('peer:joined', (p) => this.update({ participants: [...this.state.participants.filter((x) => x.seatId !== p.seatId), p] }));
    socket.on('peer:updated', (p) => {
      if (p.seatId === this.state.you?.seatId) this.update({ you: p });
      else this.update({ participants: [...this.state.participants.filter((x) => x.seatId !== p.seatId), p] });
    });
    socket.on('peer:left', ({ seatId }) => this.update({ participants: this.state.participants.filter((x) => x.seatId !== seatId) }));
    socket.on('speaker:active', ({ seatId }) => this.update({ activeSpeaker: seatId }));
    socket.on('media:downlink', ({ availableKbit }) => {
      for (const watch of [this.downlink, this.network]) watch.sfuEstimate(availableKbit);
    });
    socket.on('consumer:new', (offer, ack) => {
      const media = this.media;
      if (!media) {
        ack({ error: { code: 'CONFLICT', message: 'not ready to receive' } });
        return;
      }
      media.accept(offer).then(
        () => {
          ack({ ok: true });
          // Audio only (chosen, or the downlink guard): a newly offered video is held back straight away.
          if (offer.kind === 'video') void this.downlink.applyVideoModes().catch(() => undefined);
        },
        () => ack({ error: { code: 'MEDIA_ERROR', message: 'could not receive this stream' } }),
      );
    });
    socket.on('consumer:closed', ({ consumerId }) => this.media?.dropConsumer(consumerId));
    socket.on('consumer:paused', ({ consumerId }) => this.media?.setProducerPaused(consumerId, true));
    socket.on('consumer:resumed', ({ consumerId }) => this.media?.setProducerPaused(consumerId, false));
    socket.on('you:muted', ({ source }) => {
      this.media?.markPausedByServer(source);
      if (source === 'mic') this.update({ local: { ...this.state.local, micOn: false } });
      if (source === 'camera') this.update({ local: { ...this.state.local, cameraOn: false } });
      this.emit('muted', source);
    });
    socket.on('you:unmuteRequested', () => this.emit('unmuteRequested'));
    socket.on('chat:message', (message) => this.update({ chat: [...this.state.chat, message].slice(-200) }));
    socket.on('agreement:updated', (agreement) => this.update({ agreement }));
  }

  private async requestJoin(): Promise<void> {
    try {
      const answer = await this.signaling.request('session:join', this.selfTest ? { selfTest: this.selfTest } : {});
      if (answer.state === 'waiting') this.wait(answer);
      else await this.enter(answer);
    } catch (err) {
      const error =
        err instanceof RoomError ? { code: err.code, message: err.message } : { code: 'INTERNAL' as const, message: String(err) };
      const phase: RoomPhase =
        error.code === 'DENIED' ? 'denied' : error.code === 'REMOVED' ? 'removed' : error.code === 'SESSION_ENDED' ? 'ended' : 'failed';
      if (error.code === 'DISCONNECTED' || error.code === 'TIMEOUT') this.update({ phase: 'reconnecting', error });
      else this.shutdown(phase, error);
    }
  }

  private wait(state: WaitingState): void {
    this.update({ phase: 'waiting', session: state.session, you: state.you, error: undefined });
  }

  /** Admitted (first time, or again after a reconnect): (re)build media from scratch. */
  private async enter(state: AdmittedState): Promise<void> {
    this.media?.close();
    this.mediaUp = undefined;
    const media = new MediaSession(this.signaling, this.device);
    this.media = media;
    this.network = new NetworkWatch((startKbit) => media.renewCamera(startKbit));
    this.downlink.reset(); // fresh transports and consumers: start at the top layer with video on
    media.on('change', () => this.update({ remote: media.remote }));
    this.monitor.start();
    this.update({
      phase: 'joined',
      error: undefined,
      session: state.session,
      you: state.you,
      participants: state.participants,
      waiting: state.waiting,
      remote: [],
      activeSpeaker: state.activeSpeaker,
    });
    // Refused while in a caucus; the server pushes the agreement on return to the joint room.
    void this.agreement.load().then(
      (agreement) => this.update({ agreement }),
      () => undefined,
    );
    try {
      const publish = can(state.you.role, 'publish');
      await this.networkCheck;
      await media.start({ publish });
      if (!publish || this.media !== media) return;
      const { stream, audioOnly } = this.state.local;
      const mic = stream?.getAudioTracks()[0];
      const camera = stream?.getVideoTracks()[0];
      if (mic) await media.publish(mic, 'mic');
      if (camera && !audioOnly) await media.publish(camera, 'camera');
      this.update({ local: { ...this.state.local, micOn: !!mic, cameraOn: !!camera && !audioOnly } });
      this.mediaUp = media;
      this.watch.start();
    } catch (err) {
      // A dropped socket is retried by the reconnect path; anything else is shown.
      if (this.media === media && !(err instanceof RoomError && err.code === 'DISCONNECTED')) {
        this.update({ error: { code: 'MEDIA_ERROR', message: err instanceof Error ? err.message : String(err) } });
      }
    }
  }

  private shutdown(phase: RoomPhase, error?: RoomSnapshot['error']): void {
    this.monitor.stop();
    this.watch.stop();
    this.media?.close();
    this.media = undefined;
    this.signaling.close();
    this.update({ phase, error, remote: [] });
  }

  private update(change: Partial<RoomSnapshot>): void {
    this.state = { ...this.state, ...change };
    this.emit('change', this.state);
  }
}
