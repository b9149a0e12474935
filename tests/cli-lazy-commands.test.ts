import { describe, expect, it } from 'vitest';
import { COMMANDS, commandsFor, requestedCommand } from '../packages/cli/src/commands/command-list.js';

describe('commands load on demand (start-up time)', () => {
  it('finds the command word past global options, and nothing for --help or an unknown word', () => {
    expect(requestedCommand(['--verbose', 'predict', 'm.onnx', '--data', 'x.csv'])).toBe('predict');
    expect(requestedCommand(['--help'])).toBeUndefined();
    expect(requestedCommand(['trian'])).toBeUndefined();
    expect(requestedCommand(['constructor'])).toBeUndefined();
  });

  it('--help registers every command by name and description only: no module is loaded, no builder runs', async () => {
    const commands = await commandsFor(['--help']);
    expect(commands.map((c) => c.command)).toEqual(Object.values(COMMANDS).map((c) => c.command));
    expect(commands.every((c) => c.builder === undefined)).toBe(true);
  });

  it('a command word loads that command in full (its builder and handler) and only that one', async () => {
    const commands = await commandsFor(['predict', 'model.onnx']);
    const full = commands.filter((c) => c.builder !== undefined);
    expect(full.map((c) => c.command)).toEqual(['predict <model>']);
    expect(full[0]!.describe).toBe(COMMANDS.predict.describe);
  });

  it("each command module's own command and description are the list's", async () => {
    for (const entry of Object.values(COMMANDS)) {
      const loaded = await entry.load();
      expect([loaded.command, loaded.describe]).toEqual([entry.command, entry.describe]);
    }
  });
});
