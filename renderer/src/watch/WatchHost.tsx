import { useEffect } from 'react';
import { loadWatch, subscribeWatchEvents } from './store';

/** Mounted while the vault is open: loads what needs attention and listens for check runs and locks. */
export function WatchHost() {
  useEffect(() => {
    subscribeWatchEvents();
    void loadWatch();
  }, []);
  return null;
}
