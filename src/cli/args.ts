/** `--name value` pairs and bare words; enough for this project's small commands. */
export function parseArgs(argv: readonly string[]): { words: string[]; options: Record<string, string> } {
  const words: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue; // `npm run x -- --a 1 -- --b 2` passes the second separator through
    if (arg.startsWith("--")) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new Error(`${arg} needs a value`);
      options[arg.slice(2)] = value;
      i++;
    } else words.push(arg);
  }
  return { words, options };
}
