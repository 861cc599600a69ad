/** Exits this process (code 3) when its parent dies, so that no benchmark process outlives its run. */
export function exitWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(3);
  }, 500).unref();
}
