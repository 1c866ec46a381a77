// Where a JSON text first goes wrong. JSON.parse's messages give no position for some errors
// ("Unexpected token '}', "…" is not valid JSON"), so on failure this re-reads the text with a
// small validator to point the person at a line and column. Only runs after JSON.parse failed.

const WS = new Set([32, 9, 10, 13]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** End of the string starting at text[i] === '"', or the offset of its fault as -(offset + 1). */
function scanString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c < 0x20) return -(j + 1);
    if (c === 92) {
      const e = text[j + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -(j + 1);
        j += 5;
      } else if (e !== undefined && ESCAPES.has(e)) j++;
      else return -(j + 1);
    }
  }
  return -(text.length + 1);
}

type Expect = 'value' | 'valueOrEnd' | 'keyOrEnd' | 'key' | 'colon' | 'commaOrEnd' | 'done';

/** Offset of the first character that makes `text` invalid JSON (text.length: it ends too soon); null when valid. */
export function jsonErrorOffset(text: string): number | null {
  const stack: number[] = []; // 91 '[' or 123 '{'
  let state: Expect = 'value';
  let i = 0;
  const afterValue = (): Expect => (stack.length ? 'commaOrEnd' : 'done');
  for (;;) {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
    if (i >= text.length) return state === 'done' ? null : text.length;
    const c = text.charCodeAt(i);
    switch (state) {
      case 'done':
        return i;
      case 'colon':
        if (c !== 58) return i;
        state = 'value';
        i++;
        break;
      case 'key':
      case 'keyOrEnd':
        if (state === 'keyOrEnd' && c === 125) {
          stack.pop();
          i++;
          state = afterValue();
        } else if (c === 34) {
          const end = scanString(text, i);
          if (end < 0) return -end - 1;
          i = end;
          state = 'colon';
        } else return i;
        break;
      case 'commaOrEnd': {
        const top = stack[stack.length - 1];
        if (c === 44) state = top === 91 ? 'value' : 'key';
        else if (c === top + 2) {
          stack.pop(); // ']' is '[' + 2 and '}' is '{' + 2
          i++;
          state = afterValue();
          break;
        } else return i;
        i++;
        break;
      }
      case 'value':
      case 'valueOrEnd':
        if (state === 'valueOrEnd' && c === 93) {
          stack.pop();
          i++;
          state = afterValue();
        } else if (c === 91 || c === 123) {
          stack.push(c);
          state = c === 91 ? 'valueOrEnd' : 'keyOrEnd';
          i++;
        } else if (c === 34) {
          const end = scanString(text, i);
          if (end < 0) return -end - 1;
          i = end;
          state = afterValue();
        } else {
          NUMBER.lastIndex = i;
          const literal = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
          if (literal) i += literal.length;
          else if (NUMBER.test(text)) i = NUMBER.lastIndex;
          else return i;
          state = afterValue();
        }
        break;
    }
  }
}

/** " at line L, column C" for the first fault in `text`, or '' when none is found. */
export function jsonErrorPlace(text: string): string {
  const at = jsonErrorOffset(text);
  if (at === null) return '';
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return ` at line ${line}, column ${at - lineStart + 1}`;
}

/** Offset just past the string that starts at text[i] === '"', in text JSON.parse has accepted. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; ; ) {
    const q = text.indexOf('"', j);
    if (q < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

export interface DuplicateKey {
  key: string;
  item: number | null; // 0-based index in the outermost list (a JSON file's items); null: not inside one
}

/**
 * The first object in `text` (which JSON.parse has accepted) that names one field twice. JSON.parse
 * keeps the last value without a word, so the first would be lost silently. One pass; strings are
 * skipped with indexOf.
 */
export function duplicateKey(text: string): DuplicateKey | null {
  const frames: (Set<string> | { index: number })[] = []; // an object's keys so far, or a list's position
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const end = stringEnd(text, i);
      const top = frames[frames.length - 1];
      if (expectKey && top instanceof Set) {
        const raw = text.slice(i, end);
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (top.has(key)) {
          const list = frames.find((f): f is { index: number } => !(f instanceof Set));
          return { key, item: list ? list.index : null };
        }
        top.add(key);
        expectKey = false;
      }
      i = end - 1;
    } else if (c === 123) {
      frames.push(new Set());
      expectKey = true;
    } else if (c === 91) {
      frames.push({ index: 0 });
      expectKey = false;
    } else if (c === 125 || c === 93) {
      frames.pop();
      expectKey = false;
    } else if (c === 44) {
      const top = frames[frames.length - 1];
      if (top instanceof Set) expectKey = true;
      else if (top) top.index++;
    }
  }
  return null;
}
