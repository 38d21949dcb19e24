/**
 * How deep a YAML (or JSON) text nests, estimated in one pass over its characters, before any YAML
 * library sees it: yaml's lexer, parser and composer all recurse once per level, so a text of a few
 * thousand levels ("[[[[…", "{a: {a: …", "- - - - …", or deep indentation) overflows the stack
 * ("Maximum call stack size exceeded", with no file named) instead of giving an error.
 *
 * The estimate is exact for flow collections (brackets outside quotes and comments) and compact
 * sequences ("- - x"), and counts one level per open indentation step for block collections, so a
 * continued plain scalar may add one. It never recurses and stops as soon as it passes the limit.
 */
export function yamlDepthExceeds(text: string, limit: number): boolean {
  const indents: number[] = [];
  let flow = 0;
  let blockScalarParent: number | undefined;
  for (const line of text.split("\n")) {
    const indent = line.length - line.trimStart().length;
    const content = line.slice(indent);
    if (blockScalarParent !== undefined) {
      // A literal or folded block scalar's lines are text, not structure, while more indented than its key.
      if (content === "" || content === "\r" || indent > blockScalarParent) continue;
      blockScalarParent = undefined;
    }
    if (content === "" || content === "\r" || content.startsWith("#")) continue;
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      if (indents.length > limit) return true;
    }
    // Sequence and complex-key indicators where a value may start ("- - - x", "a: - x") each open a level;
    // one that begins the line is its indentation's level, counted above.
    const startsWithIndicator = isIndicator(content, 0);
    let levels = 0;
    let valueStart = true;
    for (let i = 0; i < content.length; i++) {
      const c = content[i];
      if (c === "#" && (i === 0 || content[i - 1] === " " || content[i - 1] === "\t")) break;
      if (c === " " || c === "\t" || c === "\r") continue;
      if (valueStart && flow === 0 && isIndicator(content, i)) {
        levels++;
        if (indents.length + levels - (startsWithIndicator ? 1 : 0) > limit) return true;
        continue;
      }
      if (c === '"' || c === "'") {
        if (flow > 0 || valueStart) i = endOfQuoted(content, i);
        valueStart = false;
        continue;
      }
      // Brackets open flow collections where a value may start, or anywhere inside one.
      if ((c === "[" || c === "{") && (flow > 0 || valueStart)) {
        flow++;
        if (indents.length + flow + levels > limit) return true;
        continue;
      }
      if ((c === "]" || c === "}") && flow > 0) {
        flow--;
        continue;
      }
      // After ": " (or "," inside a flow collection) a value may start again.
      valueStart = (c === ":" && (i + 1 === content.length || content[i + 1] === " " || content[i + 1] === "\r")) || (c === "," && flow > 0);
      if (flow === 0 && (c === "|" || c === ">") && /^[|>][-+0-9]*\s*(#.*)?\r?$/.test(content.slice(i))) blockScalarParent = indent;
    }
  }
  return false;
}

/** A "-" or "?" indicator at `i`: followed by a space or the line's end. */
function isIndicator(line: string, i: number): boolean {
  return (line[i] === "-" || line[i] === "?") && (i + 1 === line.length || line[i + 1] === " " || line[i + 1] === "\r");
}

/** The index of the closing quote of the quoted scalar opening at `start` (or the line's end). */
function endOfQuoted(line: string, start: number): number {
  const quote = line[start];
  for (let i = start + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === "\\") i++;
    else if (line[i] === quote) {
      if (quote === "'" && line[i + 1] === "'") i++;
      else return i;
    }
  }
  return line.length;
}
