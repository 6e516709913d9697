import type { LocalizedText } from './definition.js';

/**
 * The `pattern` rule of a text field: a regular expression written by an admin and run
 * on every save. The whole value must match, as with HTML's `pattern` attribute, so
 * `\d{6}` means six digits and not "contains six digits". The `u` flag makes Chinese and
 * emoji count as one character each; the console must compile it the same way.
 */
export const MAX_PATTERN_LENGTH = 200;

export function compileFieldPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

/** Why an admin's pattern is refused, or null when it may be used. */
export function patternProblem(pattern: string): LocalizedText | null {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return {
      zh: `正则表达式最长 ${MAX_PATTERN_LENGTH} 个字符`,
      en: `The pattern may be at most ${MAX_PATTERN_LENGTH} characters`,
    };
  }
  try {
    // Compiled bare first: wrapping could balance a stray parenthesis, `a)(b` -> `^(?:a)(b)$`.
    new RegExp(pattern, 'u');
  } catch {
    return { zh: '正则表达式无法解析', en: 'The pattern is not a valid regular expression' };
  }
  if (hasNestedRepetition(pattern)) {
    return {
      zh: '正则表达式重复了含重复或分支的分组（如 (a+)+、(a|b)*），匹配可能极慢，请改写',
      en: 'The pattern repeats a group that repeats or branches, like (a+)+ or (a|b)*, which can take forever to match; rewrite it',
    };
  }
  return null;
}

/**
 * A repeated group that itself repeats or branches, `(a+)+`, `(\d{2,})*`, `(a|ab)*`: the
 * shapes behind catastrophic backtracking (`(a|a)*b` takes seconds on 25 characters).
 * Conservative, so `(ab|cd)+` is refused too; a character class usually says the same.
 * A guard against an admin's accident, not a proof of safety. Only patterns that compile
 * with the `u` flag reach it, so every `{` outside a class opens a quantifier.
 */
function hasNestedRepetition(pattern: string): boolean {
  const groups: boolean[] = [false];
  const repeats = (at: number) => pattern[at] === '*' || pattern[at] === '+' || pattern[at] === '{';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i];
    if (char === '\\') {
      // \u{1F600} and \p{Script=Han} carry braces that are not quantifiers.
      const braced = 'upP'.includes(pattern[i + 1]) && pattern[i + 2] === '{';
      i = braced ? pattern.indexOf('}', i) : i + 1;
    } else if (char === '[') {
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
    } else if (char === '(') {
      groups.push(false);
    } else if (char === ')') {
      const innerRepeats = groups.pop() ?? false;
      if (innerRepeats && repeats(i + 1)) return true;
      if (innerRepeats || repeats(i + 1)) groups[groups.length - 1] = true;
    } else if (char === '|' || repeats(i)) {
      groups[groups.length - 1] = true;
    }
  }
  return false;
}
