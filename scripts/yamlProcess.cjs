// What the `yaml` package sees as `require('process')` in the bundles (scripts/build.mjs). yaml reads
// process.env.LOG_TOKENS for every token it lexes, and process.env is a native lookup in Node: about a
// quarter of the parse time. Here the environment is read once, at start-up.
module.exports = {
  env: { LOG_TOKENS: process.env.LOG_TOKENS, LOG_STREAM: process.env.LOG_STREAM },
  emitWarning: (...args) => process.emitWarning(...args),
};
