
/**
 * The printable QR code of a channel's public page. Error correction M survives a
 * scuffed poster; the quiet zone (margin) of 4 modules is what the QR standard asks for
 * and what phone scanners need next to a busy print.
 */
const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** qrcode loads with the first QR code asked for (about 10 MB), not at start-up. */
const qrcode = async () => (await import('qrcode')).default;

export async function qrPng(url: string, size: number): Promise<Buffer> {
  return (await qrcode()).toBuffer(url, { ...OPTIONS, type: 'png', width: size });
}

export async function qrSvg(url: string): Promise<string> {
  return (await qrcode()).toString(url, { ...OPTIONS, type: 'svg' });
}

/** The page a channel's QR code opens: `<base>/r/<code>`. */
export function publicPageUrl(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/r/${encodeURIComponent(code)}`;
}
