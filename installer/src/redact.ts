/**
 * Keeps secrets out of the installer log. Generated passwords and keys are registered the
 * moment they exist; patterns catch what was never registered (a password in a URL, a
 * `password: ...` line printed by bin/huiji).
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Every later line that contains `value` shows `***` instead. */
  add(value: string | undefined | null): void {
    // Very short values would blank out ordinary words.
    if (value && value.length >= 6) this.secrets.add(value);
  }

  apply(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out
      .replace(/(\/\/[^/:@\s]*:)[^@/\s]+@/g, '$1***@')
      .replace(/(password[^:=\n]{0,20}[:=]\s*)\S+/gi, '$1***')
      .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '<private key>');
  }
}
