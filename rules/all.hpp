// Every rule object, one per file in rules/. Listed (sorted by slug) in rules/all.cpp. Compose
// rules (compose-*) sort among the Dockerfile rules; their RuleInfo::kind says what they read.
#pragma once

#include "rules/rule.hpp"

namespace dockit::lint {

extern const Rule kAddInsteadOfCopy;
extern const Rule kApkNoCache;
extern const Rule kApkPinVersions;
extern const Rule kAptGetInstallYes;
extern const Rule kAptGetNoInstallRecommends;
extern const Rule kAptGetUpdateAlone;
extern const Rule kAptListsNotRemoved;
extern const Rule kAptPinVersions;
extern const Rule kCacheOrdering;
extern const Rule kCachesLeft;
extern const Rule kCdInsteadOfWorkdir;
extern const Rule kComposeBuildPathMissing;
extern const Rule kComposeDependsOnNotHealthy;
extern const Rule kComposeLocalhostForService;
extern const Rule kComposeObsoleteVersion;
extern const Rule kComposePortBase60;
extern const Rule kComposeSyntaxError;
extern const Rule kConsecutiveRun;
extern const Rule kConsistentInstructionCasing;
extern const Rule kCopyArchiveThenExtract;
extern const Rule kCopyFromSelf;
extern const Rule kCopyFromUnknownStage;
extern const Rule kCopyIgnoredFile;
extern const Rule kCopyMultipleSourcesDestSlash;
extern const Rule kCopyRelativeDestWithoutWorkdir;
extern const Rule kCopyWholeStage;
extern const Rule kDnfClean;
extern const Rule kDnfInstallYes;
extern const Rule kDnfPinVersions;
extern const Rule kDuplicateStageName;
extern const Rule kEnvSelfReference;
extern const Rule kExecFormVariables;
extern const Rule kExposeInvalidFormat;
extern const Rule kExposeProtoCasing;
extern const Rule kFileDeletedLater;
extern const Rule kFinalStageEndsWithCmd;
extern const Rule kFromAsCasing;
extern const Rule kFromLatestTag;
extern const Rule kFromPlatformFlagConst;
extern const Rule kFromUntagged;
extern const Rule kGemPinVersions;
extern const Rule kGoInstallVersion;
extern const Rule kIgnorePragmaUsed;
extern const Rule kIgnorePragmaWithoutReason;
extern const Rule kInteractiveCommands;
extern const Rule kInvalidDefaultArgInFrom;
extern const Rule kInvalidInstruction;
extern const Rule kJsonArgsRecommended;
extern const Rule kLabelKeyConvention;
extern const Rule kLegacyKeyValueFormat;
extern const Rule kMaintainerDeprecated;
extern const Rule kMultipleInstructionsDisallowed;
extern const Rule kNoEmptyContinuation;
extern const Rule kNoHealthcheck;
extern const Rule kNoNonRootUser;
extern const Rule kNoUtf8Locale;
extern const Rule kNpmPinVersions;
extern const Rule kPipNoCacheDir;
extern const Rule kPipPinVersions;
extern const Rule kPipefail;
extern const Rule kRedundantTargetPlatform;
extern const Rule kReservedStageName;
extern const Rule kSecretsInArgOrEnv;
extern const Rule kShellSymlinkInsteadOfShell;
extern const Rule kShellcheck;
extern const Rule kStageNameCasing;
extern const Rule kSudoInRun;
extern const Rule kSyntaxError;
extern const Rule kTrailingCommentWords;
extern const Rule kUndefinedVar;
extern const Rule kUntrustedRegistry;
extern const Rule kUseAptGetNotApt;
extern const Rule kUserNotNumeric;
extern const Rule kUseraddWithoutL;
extern const Rule kVirtualenvInImage;
extern const Rule kWgetAndCurl;
extern const Rule kWgetProgress;
extern const Rule kWholeContextWithoutDockerignore;
extern const Rule kWorkdirRelativePath;
extern const Rule kYarnCacheClean;
extern const Rule kYumClean;
extern const Rule kYumInstallYes;
extern const Rule kYumPinVersions;
extern const Rule kZypperClean;
extern const Rule kZypperDistUpgrade;
extern const Rule kZypperNonInteractive;
extern const Rule kZypperPinVersions;

}  // namespace dockit::lint
