// Package legacy is the governance-only reference platform, kind "legacy".
// It stands for pipelines that something outside the library runs (hand
// written jobs, an existing scheduler): the broker still assigns groups to
// it and builds its pipeline graph, and the change check still checks that
// graph, but realising it produces nothing.
//
// It declares every capture kind, every container kind, any latency and
// anywhere, and both milestoning kinds unless the declaration restricts it
// to one:
//
//	platform("Legacy", kind = "legacy")
//	platform("LegacyLive", kind = "legacy", options = {"milestoning": "live"})
//
// Any other option is an error. Its acceptance check reports exactly what
// its pipeline needs beyond what it declares (graph.CheckCapabilities).
//
// The package depends on graph, ecosystem and platforms/options, not on
// platforms, so that platforms.Builtin can register it; it satisfies
// platforms.Platform.
package legacy
