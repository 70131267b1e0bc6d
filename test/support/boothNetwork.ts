/**
 * A booth's own network link, for faults injected for real: a network namespace joined to this
 * machine by a veth pair, with a Chromium kiosk inside it. Faults are tc filters that send
 * packets to an HTB class that lets about one packet through in twenty minutes (this kernel has
 * neither netem nor tc's drop action): the media path cut while signaling stays up, UDP blocked,
 * or random loss. Needs root; every name and address lives only inside what it creates.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why booth networks cannot be made here, or null when they can. */
export function boothNetworkUnavailable(): string | null {
  return process.getuid?.() === 0 ? null : 'network namespaces need root';
}

/** The HTB class that carries everything, and the one that starves what it is given. */
const OPEN_CLASS = '1:10';
const CUT_CLASS = '1:20';
/** Filter priorities, lowest first: what keeps signaling open comes before the cut. */
const SIGNALING_PRIORITY = '1';
const CUT_PRIORITY = '2';
const UDP_PRIORITY = '3';
const LOSS_PRIORITY = '4';
const SMALL_UDP_PRIORITY = '5';
const MEDIA_PORT_PRIORITY = '6';
/** Classic BPF's offset of the kernel's random number (SKF_AD_OFF + SKF_AD_RANDOM, as unsigned). */
const RANDOM_ANCILLARY = 2 ** 32 - 0x1000 + 56;

export class BoothNetwork {
  /** The priorities of the filters in place, at both ends. */
  private readonly filters = new Set<string>();

  private constructor(
    /** The network namespace the kiosk's Chromium runs in. */
    readonly namespace: string,
    private readonly hostDevice: string,
    private readonly boothDevice: string,
    /** This machine's address on the link: the server listens (HTTP and RTC) here. */
    readonly hostAddress: string,
  ) {}

  /** Creates link `index` (0-63) of this process. */
  static async create(index: number): Promise<BoothNetwork> {
    const tag = `${process.pid % 100_000}n${index}`;
    const subnet = `10.${200 + (process.pid % 50)}.${index * 4}`;
    const network = new BoothNetwork(`bilik-${tag}`, `bk${tag}h`, `bk${tag}b`, `${subnet}.1`);
    try {
      await network.build(`${subnet}.2`);
    } catch (error) {
      await network.close();
      throw error;
    }
    return network;
  }

  private async build(boothAddress: string): Promise<void> {
    const inBooth = ['-n', this.namespace];
    await run('ip', ['netns', 'add', this.namespace]);
    await run('ip', ['link', 'add', this.hostDevice, 'type', 'veth', 'peer', 'name', this.boothDevice, 'netns', this.namespace]);
    await run('ip', ['addr', 'add', `${this.hostAddress}/30`, 'dev', this.hostDevice]);
    await run('ip', ['link', 'set', this.hostDevice, 'up']);
    await run('ip', [...inBooth, 'addr', 'add', `${boothAddress}/30`, 'dev', this.boothDevice]);
    await run('ip', [...inBooth, 'link', 'set', this.boothDevice, 'up']);
    await run('ip', [...inBooth, 'link', 'set', 'lo', 'up']);
    for (const [device, namespace] of this.ends()) {
      const tc = (...args: string[]): Promise<unknown> => run('tc', [...namespace, ...args]);
      await tc('qdisc', 'add', 'dev', device, 'root', 'handle', '1:', 'htb', 'default', '10', 'r2q', '100000');
      await tc('class', 'add', 'dev', device, 'parent', '1:', 'classid', OPEN_CLASS, 'htb', 'rate', '10gbit');
      await tc('class', 'add', 'dev', device, 'parent', '1:', 'classid', CUT_CLASS, 'htb', 'rate', '8bit', 'ceil', '8bit');
      await tc('qdisc', 'add', 'dev', device, 'parent', CUT_CLASS, 'handle', '20:', 'pfifo', 'limit', '1');
    }
  }

  /** Each end of the link: its device, and the arguments that reach its namespace. */
  private ends(): Array<[string, string[]]> {
    return [
      [this.hostDevice, []],
      [this.boothDevice, ['-n', this.namespace]],
    ];
  }

  /**
   * Cuts everything between the kiosk and the server but the signaling connection to
   * `signalingPort` (TCP): the media path (ICE over UDP or TCP) goes silent while socket.io stays
   * connected, as when a branch's firewall or Wi-Fi drops the media flows.
   */
  async cutMedia(signalingPort: number): Promise<void> {
    if (this.filters.has(CUT_PRIORITY)) return;
    // The server sends signaling from its port; the kiosk sends it to that port.
    await this.steer(
      SIGNALING_PRIORITY,
      (end) => ['u32', 'match', 'ip', end === 'host' ? 'sport' : 'dport', String(signalingPort), '0xffff'],
      OPEN_CLASS,
    );
    await this.steer(CUT_PRIORITY, () => ['u32', 'match', 'u32', '0', '0'], CUT_CLASS);
  }

  /** Drops every UDP packet on the link, both ways: a branch firewall that lets only TCP through. */
  async blockUdp(): Promise<void> {
    await this.steer(UDP_PRIORITY, () => ['u32', 'match', 'ip', 'protocol', '17', '0xff'], CUT_CLASS);
  }

  /**
   * Drops `percent` of the link's packets each way, at random: a classic-BPF program draws the
   * kernel's random number (`ld rand`) for each packet and sends those under the threshold to the
   * starved class.
   */
  async loseRandomly(percent: number): Promise<void> {
    const threshold = Math.round((percent / 100) * 2 ** 32);
    // ld rand; jgt threshold -> keep; ret -1 (this filter's class); ret 0 (no match: the open class).
    const program = `4,32 0 0 ${RANDOM_ANCILLARY},37 1 0 ${threshold},6 0 0 4294967295,6 0 0 0`;
    await this.steer(LOSS_PRIORITY, () => ['bpf', 'bytecode', program], CUT_CLASS);
  }

  /**
   * A middlebox in front of the SFU's media `port`: ICE's connectivity checks (UDP packets under
   * 256 bytes) pass, anything larger (DTLS, media) and all TCP to or from that port is dropped.
   * Direct ICE then connects and nothing else does.
   */
  async passOnlyIceChecksTo(port: number): Promise<void> {
    // The server sends from its port; the kiosk sends to it.
    const toOrFromPort = (end: 'host' | 'booth'): string[] => ['match', 'ip', end === 'host' ? 'sport' : 'dport', String(port), '0xffff'];
    await this.steer(
      SMALL_UDP_PRIORITY,
      (end) => ['u32', 'match', 'ip', 'protocol', '17', '0xff', ...toOrFromPort(end), 'match', 'u16', '0', '0xff00', 'at', '2'],
      OPEN_CLASS,
    );
    await this.steer(MEDIA_PORT_PRIORITY, (end) => ['u32', ...toOrFromPort(end)], CUT_CLASS);
  }

  /** Takes away every fault added: the link carries everything again. */
  async restore(): Promise<void> {
    for (const priority of [...this.filters]) {
      for (const [device, namespace] of this.ends()) {
        await run('tc', [...namespace, 'filter', 'del', 'dev', device, 'parent', '1:', 'prio', priority]);
      }
      this.filters.delete(priority);
    }
  }

  /** Sends what `selector` matches at each end of the link to `flowId`, as filter `priority`. */
  private async steer(priority: string, selector: (end: 'host' | 'booth') => string[], flowId: string): Promise<void> {
    if (this.filters.has(priority)) return;
    for (const [device, namespace] of this.ends()) {
      const end = namespace.length === 0 ? 'host' : 'booth';
      await run('tc', [
        ...namespace,
        'filter',
        'add',
        'dev',
        device,
        'parent',
        '1:',
        'protocol',
        'ip',
        'prio',
        priority,
        ...selector(end),
        'flowid',
        flowId,
      ]);
    }
    this.filters.add(priority);
  }

  /**
   * Chromium flags for a kiosk inside this network talking to `serverUrl`: the server's plain
   * HTTP address is not localhost, and getUserMedia needs a secure context.
   */
  chromiumFlags(serverUrl: string): string[] {
    return [`--unsafely-treat-insecure-origin-as-secure=${new URL(serverUrl).origin}`];
  }

  /** Removes the namespace, and with it the veth pair and its shaping. Safe to call twice. */
  async close(): Promise<void> {
    await run('ip', ['netns', 'del', this.namespace]).catch(() => undefined);
    // The host end goes with its peer; this only matters if creation stopped half-way.
    await run('ip', ['link', 'del', this.hostDevice]).catch(() => undefined);
  }
}
