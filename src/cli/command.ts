import * as fs from "node:fs";

/**
 * The project's small commands share one way of reading their arguments: `--name value` options
 * of a declared type, bare words, `--help` (usage, exit 0, nothing else done), and one line for any
 * mistake (unknown option, missing or bad value; exit 2) before the command does anything.
 */
export type OptionType = "string" | "integer" | "boolean" | { readonly oneOf: readonly string[] };

export interface OptionSpec {
  readonly name: string;
  readonly type: OptionType;
  readonly description: string;
  /** Shown in the help; the command applies its own default. */
  readonly defaultText?: string;
  readonly required?: boolean;
  /** For integers. */
  readonly min?: number;
  readonly max?: number;
}

export interface CommandSpec {
  /** `npm run <name>` */
  readonly name: string;
  readonly summary: string;
  /** Bare words, in order, e.g. `<env> <target>`. */
  readonly words?: readonly { readonly name: string; readonly description: string; readonly optional?: boolean; /** takes every remaining word */ readonly variadic?: boolean }[];
  readonly options: readonly OptionSpec[];
  /** Extra lines for the help (examples). */
  readonly examples?: readonly string[];
}

export interface ParsedCommand {
  readonly words: string[];
  readonly options: Record<string, string | number | boolean | undefined>;
}

/** A usage mistake: one line, exit code 2. */
export class UsageError extends Error {}

/** `--help` was asked for. */
export class HelpRequested extends Error {}

function typeText(type: OptionType): string {
  if (typeof type === "object") return type.oneOf.join("|");
  return type === "boolean" ? "[true|false]" : type === "integer" ? "N" : "VALUE";
}

export function helpText(spec: CommandSpec): string {
  const words = (spec.words ?? []).map((w) => (w.optional ? `[${w.name}]` : w.name)).join(" ");
  const lines = [`usage: npm run ${spec.name} --${words ? ` ${words}` : ""} [options]`, "", spec.summary, ""];
  for (const word of spec.words ?? []) lines.push(`  ${word.name.padEnd(24)} ${word.description}`);
  if (spec.words?.length) lines.push("");
  lines.push("options:");
  for (const option of [...spec.options, { name: "help", type: "boolean" as const, description: "print this help and exit" }]) {
    const left = `--${option.name} ${option.type === "boolean" ? "" : typeText(option.type)}`.trimEnd();
    const extra = "required" in option && option.required ? " (required)" : "defaultText" in option && option.defaultText ? ` (default ${option.defaultText})` : "";
    lines.push(`  ${left.padEnd(24)} ${option.description}${extra}`);
  }
  if (spec.examples?.length) lines.push("", "examples:", ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join("\n")}\n`;
}

function closest(name: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length];
  };
  const best = candidates.map((c) => ({ c, d: distance(name, c) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.c : undefined;
}

/** Reads argv against the spec; throws HelpRequested or UsageError (one line). */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): ParsedCommand {
  const words: string[] = [];
  const options: Record<string, string | number | boolean | undefined> = {};
  const byName = new Map(spec.options.map((o) => [o.name, o]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue; // `npm run x -- --a 1 -- --b 2` passes the second separator through
    if (arg === "--help" || arg === "-h") throw new HelpRequested();
    if (!arg.startsWith("--")) {
      words.push(arg);
      continue;
    }
    const [rawName, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const option = byName.get(rawName);
    if (!option) {
      const hint = closest(rawName, [...byName.keys()]);
      throw new UsageError(`unknown option --${rawName}${hint ? ` (did you mean --${hint}?)` : ""}; see --help`);
    }
    if (rawName in options) throw new UsageError(`--${rawName} is given twice`);
    let value = inline;
    if (option.type === "boolean") {
      if (value === undefined && (argv[i + 1] === "true" || argv[i + 1] === "false")) value = argv[++i];
      if (value === undefined) options[rawName] = true;
      else if (value === "true" || value === "false") options[rawName] = value === "true";
      else throw new UsageError(`--${rawName} takes no value, or true or false; got "${value}"`);
      continue;
    }
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`--${rawName} needs a value (${typeText(option.type)})`);
      i++;
    }
    if (option.type === "integer") {
      const number = Number(value);
      if (!/^-?\d+$/.test(value) || (option.min !== undefined && number < option.min) || (option.max !== undefined && number > option.max)) {
        const range = option.min !== undefined && option.max !== undefined ? ` from ${option.min} to ${option.max}` : option.min !== undefined ? ` of at least ${option.min}` : "";
        throw new UsageError(`--${rawName} must be a whole number${range}, got "${value}"`);
      }
      options[rawName] = number;
    } else if (typeof option.type === "object") {
      if (!option.type.oneOf.includes(value)) throw new UsageError(`--${rawName} must be one of ${option.type.oneOf.join(", ")}, got "${value}"`);
      options[rawName] = value;
    } else {
      options[rawName] = value;
    }
  }
  for (const option of spec.options) if (option.required && options[option.name] === undefined) throw new UsageError(`--${option.name} is required; see --help`);
  const required = (spec.words ?? []).filter((w) => !w.optional);
  if (words.length < required.length) throw new UsageError(`missing ${required.slice(words.length).map((w) => w.name).join(" ")}; see --help`);
  if (!(spec.words ?? []).some((w) => w.variadic) && words.length > (spec.words ?? []).length) throw new UsageError(`unexpected argument "${words[(spec.words ?? []).length]}"; see --help`);
  return { words, options };
}

/**
 * Runs a command's main with parsed arguments: help to stdout (exit 0), a usage mistake as one line
 * on stderr (exit 2), the command's own exit code otherwise.
 */
export async function runCommand(spec: CommandSpec, argv: readonly string[], main: (args: ParsedCommand) => Promise<number> | number): Promise<number> {
  let args: ParsedCommand;
  try {
    args = parseCommand(spec, argv);
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(helpText(spec));
      return 0;
    }
    if (error instanceof UsageError) {
      console.error(`${spec.name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
  return main(args);
}

/** Typed accessors for parsed options. */
export function stringOption(args: ParsedCommand, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === "string" ? value : undefined;
}

export function numberOption(args: ParsedCommand, name: string): number | undefined {
  const value = args.options[name];
  return typeof value === "number" ? value : undefined;
}

export function booleanOption(args: ParsedCommand, name: string): boolean {
  return args.options[name] === true;
}

// ---------------------------------------------------------------------------------------------
// Terminal output: colour, and `-` for standard input or output.
// ---------------------------------------------------------------------------------------------

/**
 * Whether what goes to `stream` may be coloured: only a terminal, and never when NO_COLOR is set
 * to anything but the empty string (https://no-color.org). Every command decides here.
 */
export function colourFor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export interface Paint {
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

/** Colours for `stream` (standard error by default): plain text wherever colourFor says no. */
export function paint(stream: { readonly isTTY?: boolean } = process.stderr, env: NodeJS.ProcessEnv = process.env): Paint {
  const on = colourFor(stream, env);
  const sgr = (open: number, close: number) => (text: string) => (on ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return { red: sgr(31, 39), green: sgr(32, 39), bold: sgr(1, 22), dim: sgr(2, 22) };
}

// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;

/** Text without terminal escape sequences (another program's colours, cursor movement). */
export function plainText(text: string): string {
  return text.replace(ESCAPES, "");
}

/** A file option's value that means standard output (or standard input, for a file that is read). */
export const STDIO = "-";

/** Writes `text` to `file`, or to standard output when the file is `-`. */
export function writeOutput(file: string, text: string): void {
  if (file === STDIO) process.stdout.write(text);
  else fs.writeFileSync(file, text);
}

/** Reads `file`, or standard input when the file is `-`. */
export function readInput(file: string): string {
  return fs.readFileSync(file === STDIO ? 0 : file, "utf8");
}
