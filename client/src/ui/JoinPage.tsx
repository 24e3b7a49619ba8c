import { useEffect, useMemo, useState } from 'react';
import { RoomClient } from '../room/index.js';
import { useRoom } from './useRoom.js';
import { VideoTile } from './VideoTile.js';

const roleLabels: Record<string, string> = {
  mediator: '调解员',
  party: '当事人',
  counsel: '代理人',
  court_staff: '法官/书记员',
  correctional_officer: '矫正工作人员',
  supervised_person: '矫正对象',
  family: '家属',
  interpreter: '翻译',
  observer: '旁听',
};

const phaseMessages: Record<string, string> = {
  denied: '主持人未允许您进入本次会议。',
  removed: '您已被移出本次会议。',
  ended: '本次会议已结束。',
  replaced: '您已在其他窗口或设备上进入会议。',
  left: '您已离开会议。',
  failed: '无法进入会议。',
  reconnecting: '网络中断，正在重新连接…',
};

export function JoinPage({ token }: { token: string }) {
  const client = useMemo(() => new RoomClient({ serverUrl: window.location.origin, token }), [token]);
  const room = useRoom(client);
  const [stream, setStream] = useState<MediaStream>();
  // Joining waits until we know what we can publish, so nobody enters without their camera by accident.
  const [devicesProbed, setDevicesProbed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    const probe = navigator.mediaDevices?.getUserMedia({ audio: true, video: { width: 640, height: 360 } }) ?? Promise.reject();
    probe
      .then((s) => {
        if (!cancelled) setStream(s);
        else for (const t of s.getTracks()) t.stop();
      })
      .catch(() => undefined)
      .finally(() => !cancelled && setDevicesProbed(true));
    return () => {
      cancelled = true;
    };
  }, []);

  if (room.phase === 'idle') {
    return (
      <main className="join">
        <h1>CourtLink 远程调解</h1>
        {stream && <VideoTile client={client} name="我" roleLabel="预览" tracks={stream.getTracks()} local />}
        <button
          type="button"
          data-testid="join-button"
          aria-label="加入会议"
          disabled={!devicesProbed}
          onClick={() => void client.join({ stream })}
        >
          加入会议
        </button>
      </main>
    );
  }

  if (room.phase === 'connecting') return <main aria-busy="true">正在连接…</main>;

  if (room.phase === 'waiting') {
    return (
      <main data-testid="waiting-room">
        <h1>{room.session?.title}</h1>
        <p>请稍候，主持人将很快允许您进入。本次会议可能会被录音录像。</p>
      </main>
    );
  }

  if (room.phase !== 'joined') {
    return (
      <main data-testid="session-message" data-phase={room.phase}>
        <p>{phaseMessages[room.phase] ?? room.phase}</p>
        {room.error && <p data-testid="error-code">{room.error.code}</p>}
      </main>
    );
  }

  const byPeer = (seatId: string, kind: 'audio' | 'video') =>
    room.remote.find((r) => r.seatId === seatId && r.kind === kind && (kind === 'audio' || r.source === 'camera'));

  return (
    <main className="room">
      <h1>{room.session?.title}</h1>
      {room.waiting.length > 0 && (
        <section aria-label="等候室">
          {room.waiting.map((w) => (
            <div key={w.seatId} data-testid="waiting-entry" data-name={w.displayName}>
              {w.displayName} · {roleLabels[w.role]} · {w.selfTest?.verdict ?? '—'}
              <button
                type="button"
                data-testid="admit-button"
                aria-label={`允许 ${w.displayName} 进入`}
                onClick={() => void client.admit(w.seatId)}
              >
                允许进入
              </button>
              <button
                type="button"
                data-testid="deny-button"
                aria-label={`拒绝 ${w.displayName}`}
                onClick={() => void client.deny(w.seatId)}
              >
                拒绝
              </button>
            </div>
          ))}
        </section>
      )}
      <section className="grid">
        {room.local.stream && room.you && (
          <VideoTile
            client={client}
            name={room.you.displayName}
            roleLabel={roleLabels[room.you.role] ?? ''}
            tracks={room.local.stream.getTracks()}
            local
            speaking={room.activeSpeaker === room.you.seatId}
          />
        )}
        {room.participants.map((p) => {
          const video = byPeer(p.seatId, 'video');
          const audio = byPeer(p.seatId, 'audio');
          const tracks = [video?.track, audio?.track].filter((t): t is MediaStreamTrack => t !== undefined);
          return (
            <VideoTile
              key={p.seatId}
              client={client}
              name={p.displayName}
              roleLabel={roleLabels[p.role] ?? ''}
              tracks={tracks}
              videoConsumerId={video?.consumerId}
              audioConsumerId={audio?.consumerId}
              speaking={room.activeSpeaker === p.seatId}
              micOff={audio?.producerPaused ?? true}
            >
              {client.may('mute') && (
                <div className="host-actions">
                  <button
                    type="button"
                    data-testid="host-mute"
                    aria-label={`将 ${p.displayName} 静音`}
                    onClick={() => void client.mute(p.seatId)}
                  >
                    静音
                  </button>
                  <button
                    type="button"
                    data-testid="host-stop-video"
                    aria-label={`关闭 ${p.displayName} 的视频`}
                    onClick={() => void client.stopVideo(p.seatId)}
                  >
                    关闭视频
                  </button>
                  {client.may('remove') && !p.host && (
                    <button
                      type="button"
                      data-testid="host-remove"
                      aria-label={`将 ${p.displayName} 移出会议`}
                      onClick={() => void client.remove(p.seatId)}
                    >
                      移出
                    </button>
                  )}
                </div>
              )}
            </VideoTile>
          );
        })}
      </section>
      <nav className="controls">
        <button
          type="button"
          data-testid="mute-mic"
          aria-pressed={!room.local.micOn}
          aria-label={room.local.micOn ? '关闭麦克风' : '打开麦克风'}
          onClick={() => void client.setMic(!room.local.micOn)}
        >
          {room.local.micOn ? '静音' : '取消静音'}
        </button>
        <button
          type="button"
          data-testid="toggle-camera"
          aria-pressed={!room.local.cameraOn}
          aria-label={room.local.cameraOn ? '关闭摄像头' : '打开摄像头'}
          onClick={() => void client.setCamera(!room.local.cameraOn)}
        >
          {room.local.cameraOn ? '关闭视频' : '打开视频'}
        </button>
        {client.may('lock') && (
          <button
            type="button"
            data-testid="lock-session"
            aria-pressed={room.session?.locked ?? false}
            aria-label={room.session?.locked ? '解锁会议' : '锁定会议'}
            onClick={() => void client.lock(!room.session?.locked)}
          >
            {room.session?.locked ? '解锁' : '锁定'}
          </button>
        )}
        {client.may('end') && (
          <button
            type="button"
            data-testid="end-session"
            aria-label="结束会议"
            onClick={() => window.confirm('确定为所有人结束本次会议吗？') && void client.end()}
          >
            结束会议
          </button>
        )}
        <button type="button" data-testid="leave-button" aria-label="离开会议" onClick={() => void client.leave()}>
          离开
        </button>
      </nav>
    </main>
  );
}
