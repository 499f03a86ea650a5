// Original file: proto/kextbridge/v1/bridge.proto


export interface GetStatusRequest {
}

export interface GetStatusRequest__Output {
}
