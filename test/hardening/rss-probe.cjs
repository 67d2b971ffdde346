// Preloaded into the CLI under test: reports its own peak RSS on fd 3 (a pipe the
// test opens) so memory is measured without touching stdout or stderr.
process.on('exit', () => {
  try {
    require('node:fs').writeSync(3, JSON.stringify({ maxRSS: process.resourceUsage().maxRSS }));
  } catch {
    // fd 3 is absent when run by hand.
  }
});
