// The code-signing requirement each macOS program rule shape stands for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requirementOf } from 'kextbridged/internal/auth/requirement';

test('teamId and identifier: Apple-issued certificate of that team, that identifier', () => {
  assert.equal(requirementOf({ teamId: 'ABCDE12345', identifier: 'com.example.agent' }), 'anchor apple generic and certificate leaf[subject.OU] = "ABCDE12345" and identifier "com.example.agent"');
});

test('teamId alone: any program of that team', () => {
  assert.equal(requirementOf({ teamId: 'ABCDE12345' }), 'anchor apple generic and certificate leaf[subject.OU] = "ABCDE12345"');
});

test('identifier alone: that identifier under any Apple-issued certificate', () => {
  assert.equal(requirementOf({ identifier: 'com.example.agent' }), 'anchor apple generic and identifier "com.example.agent"');
});

test('a whole requirement is taken as written', () => {
  const req = 'identifier "com.apple.ls" and anchor apple';
  assert.equal(requirementOf({ requirement: req }), req);
});

test('Linux shapes are no signing requirement', () => {
  assert.equal(requirementOf({ path: '/usr/bin/agent', sha256: 'a'.repeat(64) }), undefined);
});
