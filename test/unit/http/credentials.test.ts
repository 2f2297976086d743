import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CapacityError, HttpError } from '../../../server/errors.js';
import { PORT_COOKIE, credential, readCredential, sessionToken, cookieValues, withoutCookies } from '../../../server/http/credentials.js';
import { toHttpError } from '../../../server/http/error-body.js';
import { BlockNotFoundError } from '../../../server/lessons/block-command.js';

const request = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;

describe('the credential parser', () => {
  it('takes a bearer header first, then the token query parameter, then the named cookie', () => {
    const all = request('/x?token=from-query', { authorization: 'Bearer from-header', cookie: `${PORT_COOKIE}=from-cookie` });
    expect(readCredential(all, PORT_COOKIE)).toEqual({ token: 'from-header', source: 'header' });
    expect(readCredential(request('/x?token=from-query', { cookie: `${PORT_COOKIE}=from-cookie` }), PORT_COOKIE)).toEqual({ token: 'from-query', source: 'query' });
    expect(readCredential(request('/x', { cookie: `a=1; ${PORT_COOKIE}=from%20cookie` }), PORT_COOKIE)).toEqual({ token: 'from cookie', source: 'cookie' });
    expect(readCredential(request('/x', { authorization: 'Bearer  ', cookie: 'other=1' }), PORT_COOKIE)).toBeUndefined();
  });

  it('reads session tokens from the header or the query only, never a cookie', () => {
    expect(sessionToken(request('/x', { cookie: `${PORT_COOKIE}=c` }))).toBeUndefined();
    expect(sessionToken(request('/x?token=q'))).toBe('q');
    expect(credential(request('/x', { cookie: 'workshop_learner=l' }), 'workshop_learner')).toBe('l');
  });

  it('strips only the named cookies from what goes upstream', () => {
    expect(withoutCookies(`a=1; ${PORT_COOKIE}=secret; b="x y"; workshop_instructor=i`, [PORT_COOKIE, 'workshop_instructor'])).toBe('a=1; b="x y"');
    expect(withoutCookies(undefined, [PORT_COOKIE])).toBe('');
  });

  it('reads every value of a cookie sent for several paths', () => {
    expect(cookieValues('workshop_app=1.a; x=2; workshop_app=3.b=c', 'workshop_app')).toEqual(['1.a', '3.b=c']);
    expect(cookieValues(undefined, 'workshop_app')).toEqual([]);
  });
});

describe('errors as HTTP answers', () => {
  it('keeps an HttpError, maps domain errors to their status, and hides anything else behind a 500', () => {
    const teapot = new HttpError(418, 'teapot', 'short and stout');
    expect(toHttpError(teapot)).toBe(teapot);
    expect(toHttpError(new CapacityError('no free subnet'))).toMatchObject({ status: 503, code: 'server_full', message: 'no free subnet', headers: { 'Retry-After': '30' } });
    expect(toHttpError(new BlockNotFoundError('demo', 1, 2))).toMatchObject({ status: 404, message: 'lesson demo has no runnable block 2 in step 1' });
    expect(toHttpError(new Error('secret internals'))).toMatchObject({ status: 500, code: 'internal', message: 'internal error' });
  });
});
