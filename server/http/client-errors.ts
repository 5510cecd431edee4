/**
 * Requests Node's HTTP parser refuses before the app sees them: a head over
 * Node's 16 KB limit (a very long URL), bytes that are not HTTP, a head or
 * body that missed the deadlines of server-timeouts.ts. Node's own answer is
 * a bare status line; this one is the API's error shape, like every other
 * 4xx, with `Connection: close` (the socket cannot be trusted any more).
 * Installed on the server by main.ts.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** The answer for a parser error: status, code and message. */
function classify(error: NodeJS.ErrnoException): { code: ErrorCode; message: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return { code: 'headers_too_large', message: 'The request line and headers are larger than 16 KB; shorten the URL (e.g. POST the points instead of listing them in the query).' };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { code: 'request_timeout', message: 'The request did not arrive in time; the connection is closed.' };
  return { code: 'bad_request', message: 'The request is not valid HTTP/1.1.' };
}

/** Answers parser errors in the API's error shape instead of Node's bare status line. */
export function answerUnparsableRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A response already under way on this socket (or a socket already gone) cannot take another one.
    const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (error.code === 'ECONNRESET' || !socket.writable || started) {
      socket.destroy();
      return;
    }
    const { code, message } = classify(error);
    const status = ERROR_CODES[code].status;
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
