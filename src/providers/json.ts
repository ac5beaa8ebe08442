/**
 * JSON from providers whose own documents show trailing commas and line breaks inside strings.
 * Strict parse first (the common case costs nothing extra); one repair pass only when that fails.
 */
export function parseJsonLenient(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (strictError) {
    const repaired = repairJson(body);
    if (repaired === body) throw strictError;
    return JSON.parse(repaired);
  }
}

/** Drops commas before `}`/`]` and escapes raw line breaks and tabs inside strings; leaves all else alone. */
export function repairJson(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') {
        out += ch + (text[i + 1] ?? '');
        i++;
      } else if (ch === '"') {
        inString = false;
        out += ch;
      } else if (ch === '\n' || ch === '\r') {
        // A wrapped line in a string stands for a space; a CRLF pair is one break.
        if (!(ch === '\n' && text[i - 1] === '\r')) out += ' ';
      } else if (ch === '\t') {
        out += '\\t';
      } else {
        out += ch;
      }
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch !== ',' || !closesNext(text, i + 1)) {
      out += ch;
    }
  }
  return out;
}

function closesNext(text: string, from: number): boolean {
  let j = from;
  while (j < text.length && /\s/.test(text[j]!)) j++;
  return text[j] === '}' || text[j] === ']';
}
