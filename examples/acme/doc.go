// Package acme holds the Acme example model: the .star files in this folder
// (eco.star, zones/*.star, teams/*.star) describe a realistic ecosystem with
// two governance zones, producer, consumer and transformer teams, every
// capture kind, every data type family and the lifecycle features of the
// language (deprecation, producer approvals, waivers, priorities).
//
// The package has no Go API: its test evaluates the model, asserts on the
// resulting objects and their source positions, and checks that it lints
// without errors. Evaluate it from the command line with
//
//	go run ./cmd/dsl lint examples/acme
package acme
