package starlark

import (
	sl "go.starlark.net/starlark"

	"github.com/datasurface/datasurface-go/ecosystem"
)

const containerWant = "container (postgres, mysql, sqlite, database, kafka or platform_managed)"

// containerParams says which connection parameters a container builtin takes.
type containerParams struct {
	engine, network, database bool
}

// defineContainer defines a container builtin. A fixed engine ("postgres")
// is set by the builtin; database() takes it as an argument.
func defineContainer(name, engine string, kind ecosystem.ContainerKind, has containerParams, doc, example string) *builtinSpec {
	return define(name, catContainers, doc, func(d *definer) func(*call) sl.Value {
		pName := d.required("name", "string", "the container's name")
		pEngine, pHost, pPort, pDatabase := param(-1), param(-1), param(-1), param(-1)
		if has.engine {
			pEngine = d.required("engine", "string", "the product, such as \"snowflake\" or \"oracle\"")
		}
		if has.network {
			pHost = d.optional("host", "string", `""`, "the host name")
			pPort = d.optional("port", "int", "0", "the port; 0 for the engine's default")
		}
		if has.database {
			pDatabase = d.optional("database", "string", `""`, "the database name (a file name for SQLite)")
		}
		pLocations := d.optional("locations", "list of string", "[]", "location keys where it runs, such as \"AWS:USA/us-east-1\"")
		d.positional(1)
		d.meta()
		d.example(example)
		return func(c *call) sl.Value {
			obj, ct := newObject[ecosystem.Container](c.spec)
			ct.Kind = kind
			ct.Name = c.str(pName)
			ct.Engine = engine
			if pEngine >= 0 {
				ct.Engine = c.str(pEngine)
			}
			if pHost >= 0 {
				ct.Host = c.str(pHost)
				ct.Port = c.integer(pPort, 0, 65535)
			}
			if pDatabase >= 0 {
				ct.Database = c.str(pDatabase)
			}
			ct.Locations = c.strings(pLocations)
			ct.Meta = c.meta()
			ct.Source = c.src
			return obj
		}
	})
}

var (
	_ = defineContainer("postgres", "postgres", ecosystem.DatabaseContainer, containerParams{network: true, database: true},
		"A PostgreSQL database.", `postgres("crm", host = "crm.acme.internal", database = "crm", locations = ["AWS:USA/us-east-1"])`)
	_ = defineContainer("mysql", "mysql", ecosystem.DatabaseContainer, containerParams{network: true, database: true},
		"A MySQL or MariaDB database.", `mysql("shop", host = "shop.acme.internal", port = 3306, database = "shop")`)
	_ = defineContainer("sqlite", "sqlite", ecosystem.DatabaseContainer, containerParams{database: true},
		"A SQLite database file.", `sqlite("local", database = "local.db")`)
	_ = defineContainer("database", "", ecosystem.DatabaseContainer, containerParams{engine: true, network: true, database: true},
		"A database of any other engine.", `database("warehouse", engine = "snowflake", host = "acme.snowflakecomputing.com", database = "DW")`)
	_ = defineContainer("kafka", "kafka", ecosystem.TopicContainer, containerParams{network: true},
		"A Kafka broker, read by streaming captures.", `kafka("events", host = "kafka.acme.internal", port = 9092)`)
)

var _ = define("platform_managed", catContainers,
	"Storage the data platform manages itself, for a workspace that has no database of its own.",
	func(d *definer) func(*call) sl.Value {
		d.meta()
		d.example(`platform_managed()`)
		return func(c *call) sl.Value {
			obj, ct := newObject[ecosystem.Container](c.spec)
			ct.Kind = ecosystem.PlatformManagedContainer
			ct.Meta = c.meta()
			ct.Source = c.src
			return obj
		}
	})
