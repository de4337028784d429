/** The platforms @napi-rs/whisper 0.0.4 ships a prebuilt binary for (ADR 0070); elsewhere only providers transcribe. */
export const LOCAL_SPEECH_PLATFORMS: readonly string[] = ['darwin-x64', 'darwin-arm64', 'linux-x64'];

export const localSpeechSupported = (platform: string = process.platform, arch: string = process.arch): boolean => LOCAL_SPEECH_PLATFORMS.includes(`${platform}-${arch}`);
