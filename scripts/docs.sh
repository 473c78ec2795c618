#!/usr/bin/env bash
# Builds the documentation site into docs/site (open docs/site/index.html; `dotnet docfx serve docs/site` serves it on
# http://localhost:8080 with navigation and search, which browsers block on file://): the API reference of the library
# assemblies (src/Core, src/Reference, src/Fast, src/Training, src/Data, from their XML comments) and the articles
# in docs/articles. docfx is the local tool pinned in .config/dotnet-tools.json. Any docfx warning fails the build
# (exit code non-zero). Needs no network beyond the NuGet restore of the tool and the projects.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore
dotnet docfx docs/docfx.json --warningsAsErrors "$@"
