import { useEffect, useRef } from 'react';

/** A muted, mirrored preview of our own camera. */
export function Preview({ stream, label }: { stream: MediaStream | undefined; label: string }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current) video.current.srcObject = stream ?? null;
  }, [stream]);
  return <video ref={video} className="preview" autoPlay playsInline muted aria-label={label} data-testid="self-preview" />;
}
