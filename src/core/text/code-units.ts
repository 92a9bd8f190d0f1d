/**
 * A per-code-unit table of a character test, each code unit asked of `classify` once, on
 * first sight. Hand-written scanners ask it for every character: a Unicode-aware regex per
 * character costs several times more than a table read. `classify` answers 0–254 (255
 * marks "not asked yet") for one UTF-16 code unit outside the surrogates; a character
 * beyond the Basic Multilingual Plane is the caller's to judge.
 */
export function codeUnitClasses(classify: (ch: string) => number): (code: number) => number {
  const classes = new Uint8Array(0x10000).fill(UNKNOWN);
  return (code) => {
    let c = classes[code] as number;
    if (c === UNKNOWN) {
      c = classify(String.fromCharCode(code));
      classes[code] = c;
    }
    return c;
  };
}

const UNKNOWN = 255;
