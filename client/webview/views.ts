// The network map's views, registered by the protocol's view ids: a view that the protocol names and nothing
// draws does not compile. Each draws its own part of the data on a Canvas of its own.
import { MAP_VIEWS, type MapViewId, type NetworkMapData } from '../../server/src/service/networkMapData';
import { AddressView } from './addressView';
import type { Canvas, Rendered, RenderOptions } from './canvas';
import { PathView } from './pathView';
import { PolicyView } from './policyView';

type ViewCanvas = new (options: RenderOptions, label: string) => Canvas & { draw(data: NetworkMapData): void };

const VIEWS: Record<MapViewId, ViewCanvas> = {
  addresses: AddressView,
  policies: PolicyView,
  paths: PathView,
};

/** Draws one view of the data. */
export function renderView(view: MapViewId, data: NetworkMapData, options: RenderOptions): Rendered {
  const canvas = new VIEWS[view](options, MAP_VIEWS.find((v) => v.id === view)!.title);
  canvas.draw(data);
  return canvas.finish();
}
