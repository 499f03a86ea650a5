// Original file: proto/kextbridge/v1/bridge.proto


export interface ListSubscribersRequest {
}

export interface ListSubscribersRequest__Output {
}
