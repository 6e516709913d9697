import QRCode from 'qrcode';

/**
 * The printable QR code of a channel's public page. Error correction M survives a
 * scuffed poster; the quiet zone (margin) of 4 modules is what the QR standard asks for
 * and what phone scanners need next to a busy print.
 */
const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

export function qrPng(url: string, size: number): Promise<Buffer> {
  return QRCode.toBuffer(url, { ...OPTIONS, type: 'png', width: size });
}

export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { ...OPTIONS, type: 'svg' });
}

/** The page a channel's QR code opens: `<base>/r/<code>`. */
export function publicPageUrl(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/r/${encodeURIComponent(code)}`;
}
