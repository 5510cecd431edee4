/**
 * Where things go in the demo city, in the local metric frame (kilometres
 * here, x east, y north, origin 119.00 E 25.44 N). These are NOT facts: a
 * hand-made layout that keeps the real arrangement recognisable (荔城/城厢
 * in the centre, 涵江 to the north-east, 秀屿 on the south-east coast with its
 * islands, 仙游 to the west, the Mulan flowing west to east south of the centre
 * into the sea) while compressing the periphery (~2,500 km² instead of
 * ~4,100 km²) so the whole demo stays small enough for a 2-core machine.
 */

export const EXTENT_M = { xMin: -31_000, xMax: 31_500, yMin: -24_500, yMax: 22_500 } as const;

/**
 * Seed site of each town-level unit (by division code): the centre of its
 * territory, and for towns and townships the centre of the town seat.
 * `size` weights a town seat's extent and population; 0 = the unit lives in
 * one of the urban patches below and has no separate seat.
 */
export const STREET_SITES_KM: Readonly<Record<string, { x: number; y: number; size: number }>> = {
  // 城厢区: centre-west, the north-west hills, and a southern arm.
  '350302001': { x: -0.8, y: -0.3, size: 0 }, // 龙桥街道
  '350302002': { x: -1.9, y: 1.4, size: 0 }, // 凤凰山街道
  '350302003': { x: -1.3, y: -2.7, size: 0 }, // 霞林街道 (south bank)
  '350302100': { x: -7.5, y: 8.0, size: 1.3 }, // 常太镇
  '350302101': { x: -6.5, y: -1.8, size: 2.0 }, // 华亭镇
  '350302102': { x: -1.5, y: -7.5, size: 2.0 }, // 灵川镇
  '350302103': { x: 0.5, y: -12.0, size: 1.8 }, // 东海镇
  // 涵江区: north-east, from the coast up into the hills.
  '350303001': { x: 9.3, y: 1.9, size: 0 }, // 涵东街道
  '350303002': { x: 8.1, y: 2.5, size: 0 }, // 涵西街道
  '350303100': { x: 11.5, y: -0.5, size: 1.6 }, // 三江口镇
  '350303101': { x: 6.0, y: -0.9, size: 1.4 }, // 白塘镇
  '350303102': { x: 6.5, y: 5.2, size: 1.6 }, // 国欢镇
  '350303103': { x: 9.6, y: 6.4, size: 1.5 }, // 梧塘镇
  '350303104': { x: 11.3, y: 9.0, size: 2.2 }, // 江口镇
  '350303105': { x: 5.5, y: 10.5, size: 1.4 }, // 萩芦镇
  '350303106': { x: 0.5, y: 12.0, size: 1.3 }, // 白沙镇
  '350303107': { x: 1.5, y: 16.5, size: 1.1 }, // 庄边镇
  '350303108': { x: -3.5, y: 18.0, size: 1.1 }, // 新县镇
  '350303200': { x: 5.5, y: 18.5, size: 0.8 }, // 大洋乡
  '350303500': { x: 11.9, y: 3.7, size: 0.8 }, // 赤港开发区
  // 荔城区: centre-east and south towards the coast.
  '350304001': { x: 1.0, y: -1.0, size: 0 }, // 镇海街道
  '350304002': { x: 2.1, y: 1.2, size: 0 }, // 拱辰街道
  '350304100': { x: 0.5, y: 5.6, size: 2.2 }, // 西天尾镇
  '350304101': { x: 7.0, y: -4.2, size: 2.4 }, // 黄石镇
  '350304102': { x: 3.0, y: -5.6, size: 2.0 }, // 新度镇
  '350304103': { x: 10.5, y: -7.5, size: 1.6 }, // 北高镇
  // 秀屿区: the south-east peninsula and two islands.
  '350305100': { x: 11.0, y: -10.8, size: 2.6 }, // 笏石镇
  '350305101': { x: 13.4, y: -13.6, size: 1.8 }, // 东庄镇
  '350305102': { x: 10.0, y: -18.0, size: 1.8 }, // 忠门镇
  '350305103': { x: 16.0, y: -16.2, size: 1.5 }, // 东埔镇
  '350305104': { x: 15.8, y: -11.0, size: 1.7 }, // 东峤镇
  '350305105': { x: 19.0, y: -9.8, size: 1.7 }, // 埭头镇
  '350305106': { x: 19.0, y: -14.0, size: 1.5 }, // 平海镇
  '350305107': { x: 27.0, y: -12.5, size: 1.3 }, // 南日镇 (island)
  '350305108': { x: 16.5, y: -21.5, size: 1.2 }, // 湄洲镇 (island)
  '350305109': { x: 5.5, y: -20.0, size: 1.4 }, // 山亭镇
  '350305110': { x: 4.5, y: -15.5, size: 1.5 }, // 月塘镇
  '350305400': { x: 13.2, y: -6.3, size: 0.7 }, // 前沁农场
  '350305401': { x: 16.5, y: -7.8, size: 0.7 }, // 后海管理局
  // 仙游县: the west, the county town on the Mulan.
  '350322001': { x: -18.0, y: -4.6, size: 0 }, // 鲤城街道
  '350322100': { x: -8.5, y: -10.5, size: 2.6 }, // 枫亭镇
  '350322101': { x: -12.5, y: -2.3, size: 2.4 }, // 榜头镇
  '350322102': { x: -10.5, y: -7.8, size: 2.0 }, // 郊尾镇
  '350322103': { x: -14.0, y: 3.5, size: 1.6 }, // 度尾镇
  '350322104': { x: -18.5, y: -8.8, size: 1.6 }, // 鲤南镇
  '350322105': { x: -22.5, y: -2.0, size: 1.5 }, // 赖店镇
  '350322106': { x: -14.0, y: -9.5, size: 1.5 }, // 盖尾镇
  '350322107': { x: -12.5, y: -13.0, size: 1.4 }, // 园庄镇
  '350322108': { x: -23.5, y: 2.0, size: 1.4 }, // 大济镇
  '350322109': { x: -19.0, y: 0.2, size: 1.4 }, // 龙华镇
  '350322110': { x: -26.5, y: 4.5, size: 1.2 }, // 钟山镇
  '350322111': { x: -21.0, y: 11.0, size: 1.3 }, // 游洋镇
  '350322200': { x: -26.5, y: -2.5, size: 0.9 }, // 西苑乡
  '350322201': { x: -25.0, y: -8.5, size: 0.9 }, // 石苍乡
  '350322202': { x: -21.5, y: -12.0, size: 0.9 }, // 社硎乡
  '350322203': { x: -22.5, y: -6.0, size: 0.9 }, // 书峰乡
  '350322204': { x: -17.0, y: 7.0, size: 0.9 }, // 菜溪乡
};

/** A named ellipse on the map, km: centre, semi-axes and rotation. */
export interface EllipseLayout {
  name: string;
  x: number;
  y: number;
  /** Ellipse semi-axes, km. */
  rx: number;
  ry: number;
  rotationDeg: number;
}

export interface UrbanPatchLayout extends EllipseLayout {
  /** Street lattice spacing, metres. */
  spacing: number;
  households: number;
  bridges: number;
  diagonals: number;
  /** A hill park with winding paths and steps instead of streets. */
  hill: { x: number; y: number; r: number } | null;
}

/** The dense urban areas, where most households live. */
export const URBAN_PATCHES: readonly UrbanPatchLayout[] = [
  {
    name: '中心城区',
    x: 0.3,
    y: -0.5,
    rx: 4.3,
    ry: 3.1,
    rotationDeg: 8,
    spacing: 85,
    households: 430_000,
    bridges: 5,
    diagonals: 2,
    hill: { x: -2.6, y: 1.2, r: 0.6 },
  },
  { name: '涵江城区', x: 8.8, y: 2.2, rx: 2.0, ry: 1.5, rotationDeg: -12, spacing: 88, households: 80_000, bridges: 0, diagonals: 1, hill: null },
  { name: '仙游县城', x: -18.0, y: -5.3, rx: 2.2, ry: 1.6, rotationDeg: 15, spacing: 90, households: 75_000, bridges: 2, diagonals: 0, hill: null },
];

/** The Mulan (木兰溪) centre line, west to east, km; it reaches the sea past the last point's coast. */
export const MULAN_CONTROL_KM: readonly (readonly [number, number])[] = [
  [-32, -3.0],
  [-26, -3.6],
  [-22, -4.6],
  [-18.5, -5.9],
  [-14, -6.8],
  [-9.5, -5.6],
  [-5.5, -3.6],
  [-2.5, -2.2],
  [1.0, -1.8],
  [4.5, -2.4],
  [7.5, -3.0],
  [10.5, -2.6],
  [13.0, -2.0],
  [16.0, -1.8],
];

/** The east coast: x of the shoreline (km) at a given y (km), south to north. */
export const COAST_CONTROL_KM: readonly (readonly [number, number])[] = [
  [-25, 9.0],
  [-22, 11.5],
  [-19, 15.0],
  [-16, 19.5],
  [-13, 22.0],
  [-10, 21.5],
  [-8, 19.0],
  [-5, 15.5],
  [-2, 13.6],
  [1, 13.0],
  [5, 13.4],
  [10, 13.2],
  [16, 14.0],
  [23, 16.0],
];

export const ISLANDS_KM: readonly EllipseLayout[] = [
  { name: '南日岛', x: 27.0, y: -12.5, rx: 2.6, ry: 1.3, rotationDeg: 10 },
  { name: '湄洲岛', x: 16.5, y: -21.5, rx: 0.8, ry: 2.3, rotationDeg: 20 },
];
