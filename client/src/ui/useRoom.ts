import { useEffect, useState } from 'react';
import type { RoomClient, RoomSnapshot } from '../room/index.js';

/** Renders from the RoomClient's snapshot; React never touches media objects itself. Undefined while the client's chunk loads. */
export function useRoom(client: RoomClient | undefined): RoomSnapshot | undefined {
  const [snapshot, setSnapshot] = useState(client?.snapshot);
  useEffect(() => {
    setSnapshot(client?.snapshot);
    return client?.on('change', setSnapshot);
  }, [client]);
  return snapshot;
}
