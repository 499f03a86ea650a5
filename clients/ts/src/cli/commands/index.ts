// Every command of the CLI, in the order --help lists them.
import type { Command } from '../command';
import { call } from './call';
import { describe } from './describe';
import { get } from './get';
import { health } from './health';
import { serve } from './serve';
import { set } from './set';
import { status } from './status';
import { subscribers } from './subscribers';
import { top } from './top';
import { watch } from './watch';

export const COMMANDS: readonly Command[] = [status, describe, health, call, watch, get, set, serve, subscribers, top];
