/**
 * Keeps the event loop alive until the returned function is called. Node's signal listeners do not hold
 * the process open, so a bare `await waitForSignal('SIGHUP')` would otherwise end the process. @internal
 */
export function keepAlive(): () => void {
  const timer = setInterval(() => {}, 0x7fffffff);
  return () => clearInterval(timer);
}
