#!/usr/bin/env node
// The kextbridge-export command. A file of its own (not dist/) so that npm
// can link it before the TypeScript is built.
require('../dist/main.js');
