import type { Request } from 'express';
import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import type { ChannelService, ChannelView } from './channels-service.js';
import { registrationCodes } from './errors.js';
import { publicPageUrl, qrPng, qrSvg } from './qr.js';
import { Channel, ChannelBody, ChannelList, ChannelPatch, ChannelQuery, IdParams, QrQuery } from './schemas.js';

/**
 * The public base URL of this server: the configured one, else what the request came to
 * (the app trusts its reverse proxy's X-Forwarded-Proto and -Host, see http.trustProxy).
 */
export type BaseUrl = (req: Request) => string;

export function baseUrlFrom(configured: string | undefined): BaseUrl {
  return (req) => configured ?? `${req.protocol}://${req.host}`;
}

/** 注册渠道: channels and their printable QR codes, for the console. */
export function channelRoutes(channels: ChannelService, baseUrl: BaseUrl): RouteSpec[] {
  const withUrl = (req: Request, channel: ChannelView) => ({ ...channel, url: publicPageUrl(baseUrl(req), channel.code) });
  const qrRoute = (format: 'png' | 'svg') =>
    defineRoute({
      method: 'get',
      path: `/api/v1/registration-channels/:id/qr.${format}`,
      summary: `The channel's QR code as ${format.toUpperCase()}, encoding its public page URL, for printing (download=1 to save it as a file)`,
      tags: ['registration'],
      access: access.permission('member:channel:view'),
      params: IdParams,
      query: QrQuery,
      errors: registrationCodes('REGISTRATION_CHANNEL_NOT_FOUND'),
      handler: async ({ principal, params, query, req, res }) => {
        const channel = await channels.get(principal!, params.id);
        const url = publicPageUrl(baseUrl(req), channel.code);
        if (query.download === '1') res.attachment(`channel-${channel.code}.${format}`);
        res.set('Cache-Control', 'no-store');
        if (format === 'png') res.type('png').send(await qrPng(url, query.size));
        else res.type('image/svg+xml').send(await qrSvg(url));
      },
    });
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/registration-channels',
      summary: 'Registration channels of the stores the caller may reach',
      tags: ['registration'],
      access: access.permission('member:channel:view'),
      query: ChannelQuery,
      response: ChannelList,
      handler: async ({ principal, query, req }) => ({ items: (await channels.list(principal!, query)).map((c) => withUrl(req, c)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/registration-channels',
      summary: 'Create a registration channel: a public sign-up page for one store, with its privacy notice and form fields',
      tags: ['registration'],
      access: access.permission('member:channel:create'),
      body: ChannelBody,
      response: Channel,
      status: 201,
      errors: registrationCodes('REGISTRATION_CHANNEL_CODE_TAKEN'),
      handler: async ({ principal, body, req }) => withUrl(req, await channels.create(principal!, body)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/registration-channels/:id',
      summary: 'One registration channel',
      tags: ['registration'],
      access: access.permission('member:channel:view'),
      params: IdParams,
      response: Channel,
      errors: registrationCodes('REGISTRATION_CHANNEL_NOT_FOUND'),
      handler: async ({ principal, params, req }) => withUrl(req, await channels.get(principal!, params.id)),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/registration-channels/:id',
      summary: 'Change a registration channel (its code never changes: it is printed); pause it to close its page',
      tags: ['registration'],
      access: access.permission('member:channel:update'),
      params: IdParams,
      body: ChannelPatch,
      response: Channel,
      errors: registrationCodes('REGISTRATION_CHANNEL_NOT_FOUND'),
      handler: async ({ principal, params, body, req }) => withUrl(req, await channels.update(principal!, params.id, body)),
    }),
    qrRoute('png'),
    qrRoute('svg'),
  ];
}
