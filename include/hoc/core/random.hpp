// Placeholder: hoc::Random lands with the foundation issue.
#pragma once
