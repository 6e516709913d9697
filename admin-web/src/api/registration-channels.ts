import { download, http, type DownloadedFile } from './http';

export type ChannelStatus = 'active' | 'paused';

/** The built-in fields a channel's page may ask for besides the phone (the server's CHANNEL_BUILTIN_FIELDS). */
export const CHANNEL_FIELDS = ['name', 'nickname', 'gender', 'birthday', 'region', 'email'] as const;
export type ChannelField = (typeof CHANNEL_FIELDS)[number];

/** 注册渠道: one public sign-up page `/r/<code>` whose new members belong to one store. */
export interface Channel {
  id: number;
  /** lower-case, never changes: it is printed */
  code: string;
  name: string;
  storeId: number;
  /** a paused channel's page is a 404 */
  status: ChannelStatus;
  privacyNotice: string;
  consentText: string;
  fields: ChannelField[];
  /** the public page the QR code opens */
  url: string;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelQuery {
  storeId?: number;
  status?: ChannelStatus;
  /** part of the code or the name */
  keyword?: string;
}

export interface ChannelCreate {
  code: string;
  name: string;
  storeId: number;
  status?: ChannelStatus;
  privacyNotice: string;
  consentText?: string;
  fields?: ChannelField[];
}

/** The code never changes. */
export type ChannelPatch = Partial<Omit<ChannelCreate, 'code'>>;

/** The server's default consent text, offered when creating a channel. */
export const DEFAULT_CONSENT_TEXT = '我同意接收会员优惠、活动等营销短信，可随时回复 TD 退订';

/** 注册渠道列表（按门店、状态、关键字筛选） */
export const listChannels = (query: ChannelQuery = {}) =>
  http.get<{ items: Channel[] }>('/api/v1/registration-channels', { query: { ...query } });

/** 注册渠道详情 */
export const getChannel = (id: number) => http.get<Channel>(`/api/v1/registration-channels/${id}`);

/** 新建注册渠道 */
export const createChannel = (data: ChannelCreate) => http.post<Channel>('/api/v1/registration-channels', data);

/** 修改注册渠道（编码不可改；暂停后注册页面关闭） */
export const updateChannel = (id: number, data: ChannelPatch) => http.patch<Channel>(`/api/v1/registration-channels/${id}`, data);

/** 渠道二维码图片（需带令牌；download 为 true 时按文件下载） */
export const downloadChannelQr = (id: number, format: 'png' | 'svg', options: { size?: number; download?: boolean } = {}): Promise<DownloadedFile> =>
  download(`/api/v1/registration-channels/${id}/qr.${format}`, {
    query: { size: format === 'png' ? options.size : undefined, download: options.download ? '1' : undefined },
  });
