import { useEffect, useState } from 'react';
import type { RoomClient, RoomSnapshot } from '../room/index.js';

/** Renders from the RoomClient's snapshot; React never touches media objects itself. */
export function useRoom(client: RoomClient): RoomSnapshot {
  const [snapshot, setSnapshot] = useState(client.snapshot);
  useEffect(() => {
    setSnapshot(client.snapshot);
    return client.on('change', setSnapshot);
  }, [client]);
  return snapshot;
}
