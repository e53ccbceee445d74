// Preloaded by the bench scripts (`node --import scripts/max-rss.mjs …`): prints the process's
// peak resident set size on stderr when it exits, as `max-rss-kb=N`.
process.on('exit', () => {
  process.stderr.write(`max-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
