#!/usr/bin/env node
// The kextbridge command. A file of its own (not dist/) so that npm can
// link it before the TypeScript is built.
require('../dist/cli/main.js').runAsCommand();
