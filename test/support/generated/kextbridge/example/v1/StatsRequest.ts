// Original file: proto/example/v1/example.proto


export interface StatsRequest {
}

export interface StatsRequest__Output {
}
