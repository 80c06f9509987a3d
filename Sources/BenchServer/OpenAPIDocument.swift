import BenchEngine
import BenchReport
public import BenchCore
import Foundation
import HTTPTypes
import Yams

/// The OpenAPI 3.1 document of the API, built from ``BenchAPI/operations`` (the same list the router is built
/// from), and a readable reference page made from it.
public enum OpenAPIDocument {
    public static func document(_ api: BenchAPI) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for operation in api.operations {
            var entry: [String: JSONValue] = [
                "operationId": .string(operation.operationID), "summary": .string(operation.summary),
                "responses": .object(
                    Dictionary(
                        uniqueKeysWithValues: operation.responses.map { status, response in
                            var object: [String: JSONValue] = ["description": .string(response.description)]
                            if !response.content.isEmpty { object["content"] = content(response.content) }
                            return (String(status), .object(object))
                        })),
            ]
            if !operation.parameters.isEmpty {
                entry["parameters"] = .array(
                    operation.parameters.map { parameter in
                        .object([
                            "name": .string(parameter.name), "in": .string(parameter.location.rawValue),
                            "description": .string(parameter.description), "required": .bool(parameter.required),
                            "schema": .object(parameter.schema.mapValues(value)),
                        ])
                    })
            }
            if !operation.requestBody.isEmpty {
                entry["requestBody"] = .object(["required": .bool(true), "content": content(operation.requestBody)])
            }
            if operation.requiresAuth { entry["security"] = .array([.object(["bearer": .array([])])]) }
            var item = paths[operation.path]?.object ?? [:]
            item[operation.method.rawValue.lowercased()] = .object(entry)
            paths[operation.path] = .object(item)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("llmbench"), "version": .string(BenchmarkRun.version),
                "description": .string(
                    "Benchmark LLM endpoints: submit runs, follow them live, read raw records and reports. Mutating requests need `Authorization: Bearer TOKEN`."
                ),
            ]),
            "paths": .object(paths),
            "components": .object([
                "securitySchemes": .object(["bearer": .object(["type": .string("http"), "scheme": .string("bearer")])]),
                "schemas": schemas,
            ]),
        ])
    }

    public static func json(_ api: BenchAPI) throws -> String {
        String(decoding: try APIJSON.encoder(pretty: true).encode(document(api)), as: UTF8.self)
    }

    public static func yaml(_ api: BenchAPI) throws -> String {
        try YAMLEncoder().encode(document(api))
    }

    private static func content(_ types: [String: String]) -> JSONValue {
        .object(
            types.mapValues { schema in
                .object(["schema": .object(["$ref": .string("#/components/schemas/\(schema)")])])
            })
    }

    private static func value(_ schema: JSONSchemaValue) -> JSONValue {
        switch schema {
        case .string(let text): .string(text)
        case .integer(let number): .number(Double(number))
        case .strings(let list): .array(list.map(JSONValue.string))
        }
    }

    // MARK: Schemas

    private static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map(JSONValue.string)) }
        return .object(schema)
    }

    private static func type(_ name: String, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        .object(extra.merging(["type": .string(name)]) { own, _ in own })
    }

    private static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }

    private static func array(_ items: JSONValue) -> JSONValue { .object(["type": .string("array"), "items": items]) }

    static var schemas: JSONValue {
        let dateTime = type("string", ["format": .string("date-time")])
        let number = type("number")
        let statuses = JSONValue.array(
            ["queued", "running", "succeeded", "failed", "cancelled"].map(JSONValue.string))
        return .object([
            "Problem": object(
                [
                    "type": type("string"), "title": type("string"), "status": type("integer"),
                    "detail": type("string"), "field": type("string"),
                ], required: ["type", "title", "status", "detail"]),
            "Run": object(
                [
                    "id": type("string"), "url": type("string"), "status": type("string", ["enum": statuses]),
                    "targets": array(type("string")), "created_at": dateTime, "started_at": dateTime,
                    "finished_at": dateTime,
                    "progress": object(["done": type("integer"), "total": type("integer")], required: ["done"]),
                    "error": type("string"),
                ], required: ["id", "url", "status", "targets", "created_at", "progress"]),
            "RunPage": object(["items": array(ref("Run")), "next": type("string")], required: ["items"]),
            "RunDetail": .object([
                "allOf": .array([
                    ref("Run"),
                    object(["summary": array(ref("StepHeadline")), "report_url": type("string")]),
                ])
            ]),
            "StepHeadline": object(
                [
                    "target": type("string"), "model": type("string"), "load": type("string"),
                    "succeeded": type("integer"), "failed": type("integer"), "ttft_p50_ms": number,
                    "ttft_p99_ms": number, "itl_p50_ms": number, "e2e_p50_ms": number, "e2e_p99_ms": number,
                    "output_tps": number, "request_rps": number, "error_rate": number,
                    "usd_per_1m_output_tokens": number, "client_bound": type("boolean"),
                ], required: ["target", "model", "load", "succeeded", "failed"]),
            "Spec": object(
                [
                    "name": type("string"), "seed": type("integer"),
                    "targets": array(type("object")), "load": type("object"), "prompts": type("object"),
                    "request": type("object"), "slo": type("object"),
                    "quality": array(
                        .object([
                            "description": .string(
                                "a smoke suite's name, {suite, limit, concurrency}, or {task: {…, dataset: {items: […]}}} (docs/eval.md)"
                            )
                        ])),
                ], required: ["targets"]),
            "Report": type("object", ["description": .string("schema llmbench.report/1 (docs/report-schema.md)")]),
            "RecordLines": type("string", ["description": .string("one JSON record per line (docs/report-schema.md)")]),
            "CSV": type("string"),
            "Text": type("string"),
            "TargetDefinition": object(
                [
                    "name": type("string"), "kind": type("string"), "base_url": type("string"),
                    "model": type("string"), "api_key_env": type("string"), "headers": type("object"),
                    "extra_body": type("object"),
                ], required: ["model"]),
            "Target": object(
                [
                    "name": type("string"), "definition": type("object"), "created_at": dateTime,
                    "updated_at": dateTime,
                ], required: ["name", "definition", "created_at", "updated_at"]),
            "TargetList": object(["items": array(ref("Target"))], required: ["items"]),
            "BenchmarkRequest": object(
                [
                    "target": .object(["oneOf": .array([type("string"), type("object")])]),
                    "prompts": array(.object(["oneOf": .array([type("string"), type("object")])])),
                    "max_tokens": type("integer"), "concurrency": type("integer"), "requests": type("integer"),
                    "temperature": number, "metrics": array(type("string")),
                ], required: ["target", "prompts"]),
            "BenchmarkResult": object(
                ["report": ref("Report"), "metrics": array(type("object"))], required: ["report", "metrics"]),
            "Comparison": object(["rows": array(type("object"))], required: ["rows"]),
            "ScheduleDefinition": object(
                [
                    "name": type("string"), "spec": ref("Spec"), "every_s": number, "change_threshold": number,
                ], required: ["name", "spec", "every_s"]),
            "Schedule": object(
                [
                    "name": type("string"), "spec": type("object"), "every_s": number, "change_threshold": number,
                    "created_at": dateTime, "last_run_at": dateTime, "next_run_at": dateTime,
                ], required: ["name", "spec", "every_s", "change_threshold", "created_at", "next_run_at"]),
            "ScheduleList": object(["items": array(ref("Schedule"))], required: ["items"]),
            "ScheduleDetail": .object([
                "allOf": .array([
                    ref("Schedule"),
                    object(
                        [
                            "runs": array(ref("Run")), "latest_run": type("string"), "baseline_runs": type("integer"),
                            "changes": array(type("object")), "drift": array(type("object")),
                            "alerts": array(type("string")),
                        ], required: ["runs", "baseline_runs", "changes", "drift", "alerts"]),
                ])
            ]),
            "Health": object(["status": type("string")], required: ["status"]),
            "Document": type("object"),
        ])
    }

    // MARK: Reference page

    /// The reference page: every operation with its parameters, body and responses; inline CSS, no scripts.
    public static func html(_ api: BenchAPI) -> String {
        let sections = api.operations.map { operation -> String in
            let parameters =
                operation.parameters.isEmpty
                ? ""
                : "<h4>Parameters</h4><ul>"
                    + operation.parameters.map {
                        "<li><code>\(TabularReportRenderer.escape($0.name))</code> (\($0.location.rawValue)\($0.required ? ", required" : "")) — \(TabularReportRenderer.escape($0.description))</li>"
                    }.joined() + "</ul>"
            let body =
                operation.requestBody.isEmpty
                ? ""
                : "<h4>Body</h4><p>"
                    + operation.requestBody.keys.sorted().map { "<code>\(TabularReportRenderer.escape($0))</code>" }
                    .joined(separator: " or ")
                    + ": \(TabularReportRenderer.escape(operation.requestBody.values.first ?? ""))</p>"
            let responses =
                "<h4>Responses</h4><ul>"
                + operation.responses.keys.sorted().map { status in
                    "<li><code>\(status)</code> \(TabularReportRenderer.escape(operation.responses[status]?.description ?? ""))</li>"
                }.joined() + "</ul>"
            let lock = operation.requiresAuth ? " <span class=\"auth\">bearer token</span>" : ""
            return """
                <section id="\(operation.operationID)"><h3><span class="m">\(operation.method.rawValue)</span> <code>\(TabularReportRenderer.escape(operation.path))</code>\(lock)</h3>
                <p>\(TabularReportRenderer.escape(operation.summary))</p>\(parameters)\(body)\(responses)</section>
                """
        }.joined(separator: "\n")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>llmbench API</title>
            <style>body{font:15px system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
            section{border-top:1px solid #ddd;padding:.5rem 0}.m{display:inline-block;min-width:4.5rem;font-weight:600}
            .auth{font-size:.75rem;background:#fde68a;padding:.1rem .4rem;border-radius:.3rem}code{font-size:.95em}</style>
            </head><body><h1>llmbench API \(TabularReportRenderer.escape(BenchmarkRun.version))</h1>
            <p>Machine-readable: <a href="/openapi.json">/openapi.json</a>, <a href="/openapi.yaml">/openapi.yaml</a>.
            Errors are <code>application/problem+json</code> with the field at fault. Requests marked
            <span class="auth">bearer token</span> need <code>Authorization: Bearer TOKEN</code>.</p>
            \(sections)
            </body></html>

            """
    }
}
