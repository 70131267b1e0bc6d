import type { SelfTestReport } from '@bilik/shared';
import type { Visit } from '../scheduler/scheduler.js';
import { boothFleetView, boothStatus, type BoothHealthRecord } from './boothHealth.js';
import type { Booth } from './boothStore.js';

const booth: Booth = {
  id: 'bilik-1',
  branchId: 'cabang',
  name: 'Bilik 1',
  enrolled: true,
  revokedAt: null,
  outOfService: false,
  createdAt: new Date(0),
};
const passing: SelfTestReport = {
  camera: { ok: true, detail: null },
  microphone: { ok: true, detail: null },
  speaker: { ok: true, detail: null },
  network: { ok: true, detail: null, rttMs: 8, path: 'udp' },
};
const healthy: BoothHealthRecord = {
  lastHeartbeatAt: 1_000,
  online: true,
  appVersion: '1.0.0',
  linkQuality: { rttMs: 30, packetLossPercent: 0, outgoingKbps: 800, incomingKbps: 900 },
  deviceFault: null,
  selfTest: { ...passing, at: 500 },
};
const visit = (state: Visit['state']): Visit => ({
  boothId: 'bilik-1',
  visitId: 'v1',
  state,
  queueId: 'cabang',
  service: 'jht',
  ticket: null,
  priority: false,
  since: 0,
  officerId: state === 'assigned' ? 'petugas' : null,
  assignedAt: state === 'assigned' ? 1 : null,
  away: false,
  handover: null,
  moving: false,
});
const failing = { ...healthy, selfTest: { ...passing, speaker: { ok: false, detail: 'no output device' }, at: 500 } };

test('a booth is online when heard from, healthy and idle; waiting or in session by its visit', () => {
  expect(boothStatus(booth, healthy, null)).toBe('online');
  expect(boothStatus(booth, healthy, visit('waiting'))).toBe('waiting');
  expect(boothStatus(booth, healthy, visit('assigned'))).toBe('in_session');
  expect(boothStatus(booth, { ...healthy, selfTest: null }, null)).toBe('online');
});

test('each status takes precedence over those after it: credential, service, silence, fault, visit', () => {
  expect(
    boothStatus({ ...booth, enrolled: false, revokedAt: new Date(), outOfService: true }, { ...failing, online: false }, visit('assigned')),
  ).toBe('revoked');
  expect(boothStatus({ ...booth, enrolled: false, outOfService: true }, { ...failing, online: false }, visit('assigned'))).toBe(
    'not_enrolled',
  );
  expect(boothStatus({ ...booth, outOfService: true }, { ...failing, online: false }, visit('assigned'))).toBe('out_of_service');
  expect(boothStatus(booth, { ...failing, online: false }, visit('assigned'))).toBe('offline');
  expect(boothStatus(booth, failing, visit('assigned'))).toBe('fault');
});

test('a device the kiosk could not open again puts the booth at fault, even in session and with a passing self-test', () => {
  const deviceFault = { kind: 'camera', detail: 'NotReadableError: Could not start video source' } as const;
  expect(boothStatus(booth, { ...healthy, deviceFault }, visit('assigned'))).toBe('fault');
  expect(boothFleetView(booth, { ...healthy, deviceFault }, null)).toMatchObject({ status: 'fault', deviceFault });
  expect(boothStatus(booth, { ...healthy, deviceFault, online: false }, null)).toBe('offline');
  expect(boothFleetView(booth, healthy, null).deviceFault).toBeNull();
});

test('the IT page sees link quality only while the booth is in session and heard from', () => {
  expect(boothFleetView(booth, healthy, visit('assigned')).linkQuality).toEqual(healthy.linkQuality);
  expect(boothFleetView(booth, healthy, visit('waiting')).linkQuality).toBeNull();
  expect(boothFleetView(booth, healthy, null).linkQuality).toBeNull();
  expect(boothFleetView(booth, { ...healthy, online: false }, visit('assigned')).linkQuality).toBeNull();
});

test('times go out as ISO 8601', () => {
  const view = boothFleetView(booth, healthy, null);
  expect(view.lastHeartbeatAt).toBe('1970-01-01T00:00:01.000Z');
  expect(view.selfTest?.at).toBe('1970-01-01T00:00:00.500Z');
});
