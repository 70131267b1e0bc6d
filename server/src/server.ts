/**
 * Starts a Bilik server in named steps (Redis, database, identity, scheduler, SFU, signaling, HTTP, metrics) and returns a handle that
 * stops it in reverse order. index.ts runs it as the service; tests start it the same way.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { MAX_DESK_CAPACITY, MAX_MESSAGE_BYTES } from '@bilik/shared';
import type { Redis } from 'ioredis';
import { Server as SocketServer } from 'socket.io';
import { AccountStore } from './accounts/accountStore.js';
import { startClusterNode } from './cluster/clusterNode.js';
import { createApp } from './app.js';
import { Authenticator } from './auth/authenticator.js';
import { SessionStore } from './auth/sessionStore.js';
import { SignInService } from './auth/signIn.js';
import { SignInLockOuts } from './auth/signInLockOuts.js';
import type { Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/openDatabase.js';
import { seedDemoIfEmpty, type DemoSignIn } from './demo/seedDemo.js';
import { DocumentCapture } from './documents/documentCapture.js';
import { LivenessPrompts } from './liveness/livenessPrompts.js';
import { VisitTransfers } from './transfers/visitTransfers.js';
import { BoothHealth } from './fleet/boothHealth.js';
import { boothLinks } from './fleet/boothLinks.js';
import { BoothStore } from './fleet/boothStore.js';
import { EnrolmentService } from './fleet/enrolment.js';
import { startMetricsListener } from './http/metricsListener.js';
import type { MetricsScrapers } from './http/metricsRoutes.js';
import { RateLimiter } from './http/rateLimiter.js';
import { LimitRefusals } from './limits/limitRefusals.js';
import { SocketLimits } from './limits/socketLimits.js';
import { Metrics } from './metrics.js';
import { IceServers } from './sfu/iceServers.js';
import { OutcomeFailures } from './outcomes/outcomeFailures.js';
import { forwardQueueOn } from './outcomes/outcomeJobs.js';
import { OutcomeReviews } from './outcomes/outcomeReviews.js';
import { OutcomeJobCounts } from './outcomes/outcomeJobCounts.js';
import { OutcomeProducer } from './outcomes/outcomeProducer.js';
import { OutcomeWorker } from './outcomes/outcomeWorker.js';
import { UndecidedVisits } from './outcomes/undecidedVisits.js';
import { VisitDecisions } from './outcomes/visitDecisions.js';
import { WrapUpCodes } from './wrapUp/wrapUpCodes.js';
import { WrapUps } from './wrapUp/wrapUps.js';
import { queueFigures } from './scheduler/queueFigures.js';
import { Scheduler } from './scheduler/scheduler.js';
import { GraceKeeper } from './signaling/graceKeeper.js';
import { QueueHistory } from './scheduler/queueHistory.js';
import { PresenceKeeper } from './signaling/presenceKeeper.js';
import { ProcessLease } from './scheduler/processLease.js';
import { SchedulerAnnouncer } from './signaling/schedulerAnnouncer.js';
import { SocketEvictions } from './signaling/socketEvictions.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { connectRedis } from './redis/connectRedis.js';
import { EmbeddedRedis } from './redis/embeddedRedis.js';
import { redisSocketAdapter } from './redis/socketAdapter.js';
import { boothLayerCap, BOOTH_AUDIO_KBPS } from './sfu/boothUplink.js';
import { DeskRegistry } from './sfu/deskRegistry.js';
import { DeskSeatStore } from './sfu/deskSeats.js';
import { SeatSweeper } from './sfu/seatSweeper.js';
import { OfficerRecalls } from './signaling/officerRecalls.js';
import { SfuProbe } from './sfu/probe.js';
import { workerCensus } from './sfu/workerCensus.js';
import { WorkerPool } from './sfu/workerPool.js';
import { KioskRemote } from './signaling/kioskRemote.js';
import { socketDocumentMessenger } from './signaling/documentCommands.js';
import { socketLivenessMessenger } from './signaling/livenessCommands.js';
import { attachSignaling, type SignalingDeps } from './signaling/namespaces.js';
import { isAllowedOrigin } from './signaling/originCheck.js';
import type { SignalingServer } from './signaling/socketTypes.js';
import { ClaimStatusLookup } from './tracking/claimStatus.js';
import { TrackingCodes } from './tracking/trackingCodes.js';
import { HelpRequests } from './help/helpRequests.js';
import { DecisionNotices } from './tracking/decisionNotices.js';

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  redis: Redis;
  embeddedRedis: EmbeddedRedis | null;
  db: Database;
  accounts: AccountStore;
  booths: BoothStore;
  enrolment: EnrolmentService;
  sessions: SessionStore;
  scheduler: Scheduler;
  workers: WorkerPool;
  /** The SFU probe of the kiosks' self-tests. */
  probe: SfuProbe;
  /** What the first-run demo seeded in this start, if it seeded anything. */
  seededDemo: DemoSignIn | null;
  /** Stops everything this server started. Safe to call twice. */
  close(): Promise<void>;
}

const REDIS_PING_TIMEOUT_MS = 1000;
/** How long socket.io keeps a dropped client's rooms and missed broadcasts for it to recover. */
const CONNECTION_RECOVERY_MS = 2 * 60_000;

const clientApps = [
  { mountPath: '/booth', distDir: fileURLToPath(new URL('../../booth-client/dist', import.meta.url)) },
  { mountPath: '/officer', distDir: fileURLToPath(new URL('../../officer-console/dist', import.meta.url)) },
];

/** Starts the service described by `config`. */
export async function startServer(config: Readonly<Config>, logger: Logger): Promise<RunningServer> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    // Step 0: the metrics every later step may count into, and what counts a client reaching its caps.
    const metrics = new Metrics(logger);
    const limitRefusals = new LimitRefusals(metrics.limitRefusals, logger);

    // Step 1: Redis, embedded unless an external one is configured.
    let embeddedRedis: EmbeddedRedis | null = null;
    let redisUrl: string;
    if ('url' in config.redis) {
      redisUrl = config.redis.url;
    } else {
      embeddedRedis = await EmbeddedRedis.start(config.redis.embedded, logger);
      cleanups.push(() => embeddedRedis?.stop());
      redisUrl = embeddedRedis.url;
    }
    const redis = await connectRedis(redisUrl, logger);
    cleanups.push(() => redis.disconnect());

    // Step 2: the records database, its schema, and the first-run demo.
    const db = await openDatabase(config.database, logger);
    cleanups.push(() => db.close());
    await migrate(db, { logger });
    const accounts = new AccountStore(db, logger);
    const booths = new BoothStore(db, logger);
    const enrolment = new EnrolmentService(db, logger);
    const seededDemo = config.demoSeed ? await seedDemoIfEmpty({ accounts, booths }, config.dataDir, logger) : null;
    const trackingCodes = await TrackingCodes.load(db);

    // Step 3: who is who.
    const sessions = new SessionStore(redis, config.auth.session);
    const authenticator = new Authenticator(sessions, booths, config.http.tls !== null);
    const signIn = new SignInService(db, accounts, new SignInLockOuts(db, config.auth.lockOut), logger);

    // Step 4: the scheduler's queues and assignments, kept in Redis.
    const scheduler = new Scheduler(redis, config.scheduler);
    const capacityOf = async (officerId: string): Promise<number> => (await accounts.findById(officerId))?.capacity ?? MAX_DESK_CAPACITY;
    const health = new BoothHealth(redis, config.fleet.boothOfflineMs);

    // Step 4b: verification outcomes: the queue officers submit to, what supervisors see of its
    // failures, and a worker recording them (unless OUTCOME_WORKER=off), since the embedded
    // database can be open in this process only.
    const outcomes = OutcomeProducer.create(redis, trackingCodes, config.outcomes, logger);
    const decisions = new VisitDecisions(redis);
    const undecided = new UndecidedVisits(db, decisions, trackingCodes, logger);
    const wrapUpCodes = new WrapUpCodes(db);
    const wrapUps = new WrapUps(redis, db, wrapUpCodes, logger);
    cleanups.push(() => outcomes.close());
    const outcomeFailures = OutcomeFailures.create(redis, logger);
    cleanups.push(() => outcomeFailures.close());
    // A confirmed review forwards its outcome from here; without a back office there is nothing to forward.
    const reviewForwards = config.outcomes.forward ? forwardQueueOn(redis, logger) : null;
    if (reviewForwards) cleanups.push(() => reviewForwards.close());
    const reviews = new OutcomeReviews(db, reviewForwards, config.outcomes);
    const outcomeJobCounts = OutcomeJobCounts.create(redis, logger);
    cleanups.push(() => outcomeJobCounts.close());
    if (config.outcomes.embeddedWorker) {
      const outcomeWorker = OutcomeWorker.start({ redis, db, config: config.outcomes, logger, forwardFailures: metrics.forwardFailures });
      cleanups.push(() => outcomeWorker.close());
    }

    // Step 5: the SFU; a booth's desk is the one of the officer the scheduler assigned it to.
    const workers = await WorkerPool.create(config.mediasoup, logger);
    cleanups.push(() => workers.close());
    workers.onWorkerDied(() => metrics.workerDeaths.inc());
    const assignedOf = async (officerId: string): Promise<readonly string[]> => (await scheduler.officer(officerId))?.boothIds ?? [];
    const seats = new DeskSeatStore(redis, assignedOf, logger);
    const desks = new DeskRegistry(workers, boothLayerCapOf(config.mediasoup.boothUplinkKbps, logger), logger, seats);
    cleanups.push(() => desks.close());
    // With several nodes, each desk lives on the node holding its lease; alone, here.
    const cluster = await startClusterNode({
      config: config.cluster,
      redis,
      redisUrl,
      desks,
      limitRefusals,
      counters: { deskMoves: metrics.deskMoves, forwardedDeskCommands: metrics.forwardedDeskCommands },
      logger,
    });
    cleanups.push(() => cluster.close());
    const probe = new SfuProbe(workers, logger);
    cleanups.push(() => probe.close());

    // Step 6: signaling. Created before HTTP so routes can close sockets; attached to the HTTP
    // server below. The Redis streams adapter lets any process reach any socket.
    const socketAdapter = redisSocketAdapter(redisUrl, logger);
    cleanups.push(() => socketAdapter.close());
    const io: SignalingServer = new SocketServer({
      maxHttpBufferSize: MAX_MESSAGE_BYTES,
      serveClient: false,
      allowRequest: (request, callback) => callback(null, isAllowedOrigin(request, config.http.allowedOrigins)),
      adapter: socketAdapter.adapter,
      // A client back within this time gets the room broadcasts it missed; the middlewares still
      // run, so a booth revoked or a session ended meanwhile is refused.
      connectionStateRecovery: { maxDisconnectionDuration: CONNECTION_RECOVERY_MS, skipMiddlewares: false },
    });
    const evictions = new SocketEvictions(io);
    const kiosks = new KioskRemote(io);
    const documents = new DocumentCapture({ db, redis, scheduler, messenger: socketDocumentMessenger(io), logger });
    const liveness = new LivenessPrompts({ redis, scheduler, messenger: socketLivenessMessenger(io), logger });
    const notices = new DecisionNotices(redis, logger);
    const announcer = new SchedulerAnnouncer(io, scheduler, logger, {
      codes: trackingCodes,
      publicUrl: config.publicTrackingUrl,
      notices,
    });
    cleanups.push(() => announcer.close());
    // Presence leased by this process: the clients of a process that died without closing its
    // sockets go through the grace periods. Given up after io.close below closed the sockets.
    const presence = await PresenceKeeper.start(
      await ProcessLease.acquire(redis, config.presence.leaseMs),
      scheduler,
      announcer,
      io,
      logger,
    );
    cleanups.push(() => presence.close());
    const socketLimits = new SocketLimits(limitRefusals);
    const help = new HelpRequests({ redis, db, lifetimeMs: config.help.requestLifetimeMs });
    const signalingDeps: SignalingDeps = {
      db,
      desks,
      placement: cluster.placement,
      remoteDesks: cluster.remoteDesks,
      closeDeskIfEmpty: (officerId: string) => cluster.placement.closeIfEmpty(officerId),
      authenticator,
      scheduler,
      announcer,
      capacityOf,
      officerNameOf: async (officerId) => (await accounts.findById(officerId))?.displayName ?? null,
      presence,
      probe,
      iceServers: new IceServers(config.ice),
      booths,
      health,
      documents,
      liveness,
      transfers: new VisitTransfers({ db, accounts, scheduler, announcer, logger }),
      outcomes,
      decisions,
      notices,
      undecided,
      wrapUps,
      limitRefusals,
      socketLimits,
      help,
      recoveryCounters: { iceRestarts: metrics.iceRestarts, sessionRebuilds: metrics.sessionRebuilds, deskRejoins: metrics.deskRejoins },
      logger,
    };
    attachSignaling(io, signalingDeps);
    cluster.serve(signalingDeps);
    cleanups.push(() => new Promise<void>((resolve) => void io.close(() => resolve())));
    const graceKeeper = new GraceKeeper(scheduler, announcer, undecided, wrapUps, logger);
    cleanups.push(() => graceKeeper.stop());
    const queueHistory = new QueueHistory(db, scheduler, logger);
    queueHistory.start();
    cleanups.push(() => queueHistory.stop());
    const seatSweeper = new SeatSweeper(desks, assignedOf, logger);
    cleanups.push(() => seatSweeper.stop());

    // The live state the metrics' gauges read at each scrape.
    metrics.observe({
      workers: () => workerCensus(workers, desks),
      boothLinks: () => boothLinks(booths, health),
      queues: () => queueFigures(scheduler),
      outcomeJobs: () => outcomeJobCounts.counts(),
    });

    // Step 7: HTTP.
    const limiter = new RateLimiter(redis);
    const app = createApp({
      readiness: { redis: () => pingRedis(redis), database: () => db.ping(), mediasoup: () => workers.healthy },
      // With METRICS_LISTEN, /metrics is served on that address only (step 8).
      metrics: config.metrics.listen ? null : { registry: metrics.registry, scrapers: metricsScrapers(config.metrics.token, 'nobody') },
      clientApps,
      auth: { db, accounts, signIn, authenticator, limiter, evictions },
      api: {
        db,
        accounts,
        authenticator,
        scheduler,
        announcer,
        maxWaitMs: config.scheduler.maxWaitMs,
        seats,
        recalls: new OfficerRecalls(io),
        queueHistory,
      },
      fleet: { db, booths, enrolment, health, kiosks, limiter, authenticator, evictions, scheduler, announcer, logger },
      tracking: { claims: new ClaimStatusLookup(db, config.scheduler.timeZone), limiter },
      documents: { documents, authenticator, maxBytes: config.documents.maxBytes },
      outcomes: { authenticator, failures: outcomeFailures },
      reviews: { authenticator, reviews, logger },
      wrapUps: { authenticator, codes: wrapUpCodes },
      help: { authenticator, help, logger },
      allowedOrigins: config.http.allowedOrigins,
      trustedProxies: config.http.trustedProxies,
      logger,
    });
    const httpServer = config.http.tls
      ? https.createServer({ cert: readFileSync(config.http.tls.certFile), key: readFileSync(config.http.tls.keyFile) }, app)
      : http.createServer(app);
    io.attach(httpServer);
    // Every TCP connection, websockets included (closeAllConnections knows only those still HTTP).
    const connections = new Set<Socket>();
    httpServer.on('connection', (socket: Socket) => {
      connections.add(socket);
      socket.once('close', () => connections.delete(socket));
    });
    // Runs before io.close (cleanups run last first): cuts every connection, which clients take as
    // a lost link and reconnect. A websocket from a client whose network vanished (a kiosk's link
    // cut, no FIN will ever come) would otherwise hold io.close for its 30 s close handshake.
    cleanups.push(() => {
      for (const socket of connections) socket.destroy();
    });

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.http.port, config.http.host, () => resolve());
    });
    // Runs first when stopping: with several nodes, this node's desks move to others while
    // everything else still works, so their calls resume there (the clients rebuild).
    cleanups.push(() => cluster.drain());
    const { port } = httpServer.address() as AddressInfo;
    const url = `${config.http.tls ? 'https' : 'http'}://${config.http.host}:${port}`;
    logger.info({ url }, 'bilik server listening');

    // Step 8: the metrics' own listener, if configured; a private address, so the token is optional there.
    if (config.metrics.listen) {
      const metricsListener = await startMetricsListener(
        config.metrics.listen,
        { registry: metrics.registry, scrapers: metricsScrapers(config.metrics.token, 'anyone') },
        logger,
      );
      cleanups.push(() => metricsListener.close());
    }
    return { url, redis, embeddedRedis, db, accounts, booths, enrolment, sessions, scheduler, workers, probe, seededDemo, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The highest simulcast layer booths may send under BOOTH_UPLINK_KBPS, logged when there is a
 * cap; a cap below the lowest layer is warned about, since booths send that layer anyway.
 */
function boothLayerCapOf(boothUplinkKbps: number | null, logger: Logger): number {
  const cap = boothLayerCap(boothUplinkKbps);
  if (boothUplinkKbps === null) return cap.maxSpatialLayer;
  if (cap.fits) logger.info({ boothUplinkKbps, maxSpatialLayer: cap.maxSpatialLayer }, 'booth uplink capped');
  else
    logger.warn(
      { boothUplinkKbps, audioKbps: BOOTH_AUDIO_KBPS, maxSpatialLayer: cap.maxSpatialLayer },
      'BOOTH_UPLINK_KBPS is below the lowest camera layer with audio: booths send that layer anyway, so that they can be seen',
    );
  return cap.maxSpatialLayer;
}

/** The bearer of METRICS_TOKEN when it is set; `withoutToken` when it is not. */
function metricsScrapers(token: string | null, withoutToken: 'anyone' | 'nobody'): MetricsScrapers {
  return token === null ? withoutToken : { bearer: token };
}

async function pingRedis(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), REDIS_PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([redis.ping().then((answer) => answer === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
