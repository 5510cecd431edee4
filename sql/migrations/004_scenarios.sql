-- 004_scenarios: planners' what-ifs, stored apart from the live data. A
-- scenario is a list of changes to the live centers (add, move, remove),
-- evaluated in memory against the live walk network and households; it is
-- written to the live centers only when a planner applies it. Scenarios
-- survive imports: a change that names a center the live data no longer
-- has is answered 409 until the scenario is edited.
CREATE TABLE scenarios (
  id          serial PRIMARY KEY,
  name        text NOT NULL,
  description text,
  -- [{ "op": "add", "name", "kind", "lon", "lat", "services" } | { "op": "move", "center_id", "lon", "lat" } | { "op": "remove", "center_id" }]
  changes     jsonb NOT NULL,
  -- Goes up with every edit: tiles and evaluations are keyed by it.
  revision    integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
