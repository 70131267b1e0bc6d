import { SIMULCAST_ENCODINGS } from '@bilik/shared/media';
import { boothLayerCap } from './boothUplink.js';
import { SPATIAL_LAYER_FULL } from './mediaPolicy.js';

describe('boothLayerCap', () => {
  test('no cap: every layer', () => {
    expect(boothLayerCap(null)).toEqual({ maxSpatialLayer: SPATIAL_LAYER_FULL, fits: true });
    expect(SPATIAL_LAYER_FULL).toBe(SIMULCAST_ENCODINGS.length - 1);
  });

  // The layers' maxBitrates are 150k, 600k and 2.5M; with the audio's 64k, layer 0 needs 214,
  // layers 0 and 1 814, and all three 3314 kbit/s.
  test.each([
    [214, 0],
    [813, 0],
    [814, 1],
    [3313, 1],
    [3314, 2],
    [100_000, 2],
  ])('%i kbit/s: up to layer %i, each layer below it and the audio included', (uplinkKbps, maxSpatialLayer) => {
    expect(boothLayerCap(uplinkKbps)).toEqual({ maxSpatialLayer, fits: true });
  });

  test('below layer 0 a booth still sends layer 0, to be seen at all, and the cap says it does not fit', () => {
    expect(boothLayerCap(213)).toEqual({ maxSpatialLayer: 0, fits: false });
    expect(boothLayerCap(1)).toEqual({ maxSpatialLayer: 0, fits: false });
  });
});
