package render

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// The mapping of a platform's streams onto Airflow DAGs
// (docs/RENDER.md, "Airflow"). Airflow gives a DAG one schedule, and
// the model gives each stream its own, so a platform becomes several DAGs:
//
//   - one per distinct cron schedule (or @every interval), holding the
//     streams with that schedule;
//   - one with no schedule ("manual") holding the streams run on an
//     external event, and those with no trigger at all, which dsl run
//     polls but Airflow runs only when triggered (from outside: the
//     event's sender, the UI, the API);
//   - a transformer's stream with no trigger of its own runs when its
//     inputs commit, so its task sits in every DAG holding a stream that
//     feeds it, downstream of those streams; with a trigger of its own it
//     sits in that trigger's DAG.
//
// Within a DAG a task runs after the tasks of the streams that feed it
// (StreamInfo.After) that are in the same DAG. Two DAGs may run one
// transformer's task at the same time; the store's stream lock lets one
// batch run and the other finds the stream busy.

// dagPlan is one DAG of a platform.
type dagPlan struct {
	id          string
	schedule    schedule
	description string
	tasks       []taskPlan
}

// taskPlan is one task: one stream, in the pipeline's run order.
type taskPlan struct {
	id string
	// pod is the name the task's pods start with.
	pod    string
	stream string
	// transformer is the transformer run before the stream's batch, by
	// its name in the model; "" for a stream that reads a source.
	transformer string
	// upstream are the task ids the task runs after, sorted.
	upstream []string
}

// planDAGs maps the target's streams onto DAGs, sorted by id.
func planDAGs(t *target) ([]dagPlan, error) {
	ids := taskIDs(t)
	byKey := map[string]*dagPlan{}
	in := map[string][]string{} // stream -> keys of the DAGs holding its task
	var plans []*dagPlan
	dagOf := func(s schedule) string {
		k := s.key()
		if byKey[k] == nil {
			d := &dagPlan{id: pythonIdent("dsl_", t.platform) + "_" + s.dagSuffix(), schedule: s,
				description: fmt.Sprintf("Platform %s: the streams run %s", t.platform, s.describe())}
			byKey[k] = d
			plans = append(plans, d)
		}
		return k
	}
	for _, s := range t.streams {
		var keys []string
		switch {
		case s.Cron != "":
			sched, err := parseSchedule(s.Cron)
			if err != nil {
				return nil, fmt.Errorf("platform %s: stream %s: %w", t.platform, s.Name, err)
			}
			keys = []string{dagOf(sched)}
		case s.Event == "" && s.Transformer != "" && len(s.After) > 0:
			for _, a := range s.After {
				keys = append(keys, in[a]...)
			}
			slices.Sort(keys)
			keys = slices.Compact(keys)
		}
		if len(keys) == 0 {
			keys = []string{dagOf(manual)}
		}
		in[s.Name] = keys
		task := taskPlan{id: ids[s.Name], pod: objectName("dsl-", t.platform+"-"+s.Name, ""), stream: s.Name, transformer: transformerName(t, s)}
		for _, k := range keys {
			d := byKey[k]
			tk := task
			for _, a := range s.After {
				if slices.Contains(in[a], k) {
					tk.upstream = append(tk.upstream, ids[a])
				}
			}
			slices.Sort(tk.upstream)
			d.tasks = append(d.tasks, tk)
		}
	}
	for _, d := range plans {
		if d.schedule.key() != manual.key() && slices.ContainsFunc(d.tasks, func(tk taskPlan) bool { return len(tk.upstream) > 0 }) {
			d.description += ", and the transformers downstream of them"
		}
	}
	out := make([]dagPlan, len(plans))
	for i, d := range plans {
		out[i] = *d
	}
	slices.SortFunc(out, func(a, b dagPlan) int { return cmp.Compare(a.id, b.id) })
	return out, nil
}

// transformerName is the name in the model of the transformer run before
// stream s, "" when none.
func transformerName(t *target, s sqlplatform.StreamInfo) string {
	if s.Transformer == "" {
		return ""
	}
	if n := t.pipeline.Node(s.Transformer); n != nil {
		if w := n.Model.Workspace.Workspace; w != nil && w.Transformer != nil && w.Transformer.Name != "" {
			return w.Transformer.Name
		}
	}
	return strings.TrimPrefix(s.Transformer, "transform:")
}

// taskIDs gives each stream its task id, the same in every DAG:
// "ingest_STREAM" for a stream that reads a source, and
// "transform_TRANSFORMER_STREAM" for one whose transformer runs first, so
// that people see which tasks transform. Ids are made distinct by a hash
// of the stream's name where two would meet.
func taskIDs(t *target) map[string]string {
	names := make([]string, len(t.streams))
	for i, s := range t.streams {
		names[i] = s.Name
	}
	slices.Sort(names)
	byName := map[string]sqlplatform.StreamInfo{}
	for _, s := range t.streams {
		byName[s.Name] = s
	}
	ids := map[string]string{}
	taken := map[string]bool{}
	for _, name := range names {
		s := byName[name]
		id := taskID("ingest_", s.Name)
		if tr := transformerName(t, s); tr != "" {
			id = taskID("transform_", tr+"_"+s.Name)
		}
		if taken[id] {
			id = taskID(id+"_", shortHash(s.Name))
		}
		taken[id] = true
		ids[name] = id
	}
	return ids
}
