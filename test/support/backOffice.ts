/**
 * A claims back office on loopback for the forwarding tests: it answers 503 until told to accept,
 * then 204, and keeps every delivery it received.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the back office received, and what it answered. */
export interface Delivery {
  timestamp: string | undefined;
  signature: string | undefined;
  contentType: string | undefined;
  body: string;
  status: number;
}

export class BackOffice {
  private constructor(
    private readonly server: http.Server,
    /** Whether it accepts (204) or refuses (503) the next delivery. */
    public accepting: boolean,
  ) {}

  readonly deliveries: Delivery[] = [];

  /** Listens on a free loopback port; refusing until `accepting` is set, unless told to accept from the start. */
  static async start(options: { accepting?: boolean } = {}): Promise<BackOffice> {
    const server = http.createServer();
    const office = new BackOffice(server, options.accepting ?? false);
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const status = office.accepting ? 204 : 503;
        office.deliveries.push({
          timestamp: request.headers['x-bilik-timestamp'] as string | undefined,
          signature: request.headers['x-bilik-signature'] as string | undefined,
          contentType: request.headers['content-type'],
          body: Buffer.concat(chunks).toString('utf8'),
          status,
        });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return office;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hasil-verifikasi`;
  }

  /** How many deliveries were about `visitId`. */
  deliveriesOf(visitId: string): number {
    return this.deliveries.filter((delivery) => (JSON.parse(delivery.body) as { visitId?: unknown }).visitId === visitId).length;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
