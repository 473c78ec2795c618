#!/usr/bin/env bash
# Fast CNN vs TorchSharp (libtorch CPU): same model, Adam, batch 250, 1 and 2 threads. $1 = BenchmarkDotNet filter (default '*'), the rest pass through.
cd "$(dirname "$0")/../bench/Peer" && exec dotnet run -c Release -- --filter "${1:-*}" "${@:2}"
